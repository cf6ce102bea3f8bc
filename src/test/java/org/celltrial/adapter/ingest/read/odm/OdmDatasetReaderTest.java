package org.celltrial.adapter.ingest.read.odm;

import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The ODM reader on a real REDCap export, checked against the same project's flat CSV export. */
class OdmDatasetReaderTest {

    @TempDir
    Path spool;

    static Map<String, List<DatasetRow>> readAll(OdmDatasetReader reader, String file, byte[] xml) throws Exception {
        Map<String, List<DatasetRow>> datasets = new LinkedHashMap<>();
        try (DatasetSource source = reader.open(file, new ByteArrayInputStream(xml))) {
            DatasetCursor cursor;
            while ((cursor = source.nextDataset()) != null) {
                try (DatasetCursor open = cursor) {
                    List<DatasetRow> rows = new ArrayList<>();
                    DatasetRow row;
                    while ((row = open.next()) != null) {
                        rows.add(row);
                    }
                    datasets.put(cursor.metadata().name(), rows);
                }
            }
        }
        return datasets;
    }

    @Test
    void redcapExportGivesOneRowPerFormInstanceWithTheCsvExportsValues() throws Exception {
        Map<String, List<DatasetRow>> datasets = readAll(new OdmDatasetReader(spool), "export.xml",
                RedcapReferenceExport.xmlBytes());
        List<Map<String, String>> csv = RedcapReferenceExport.csvRows();
        Set<String> repeatingInstruments = new HashSet<>();
        csv.forEach(r -> repeatingInstruments.add(r.get("redcap_repeat_instrument")));
        repeatingInstruments.remove("");

        // the oracle: a form instance is a CSV row of its (record, event, instrument, instance); a form that is not a
        // repeating instrument shares the event's row (instrument and instance empty)
        Map<String, Map<String, String>> csvByKey = new LinkedHashMap<>();
        for (Map<String, String> r : csv) {
            String key = r.get("record_id") + "|" + r.get("redcap_event_name") + "|" + r.get("redcap_repeat_instrument")
                    + "|" + r.get("redcap_repeat_instance");
            assertThat(csvByKey.put(key, r)).as("CSV key %s unique", key).isNull();
        }
        // rows per repeating instrument: CSV rows with that instrument; per other form: CSV event rows holding its
        // '<form>_complete' status (REDCap writes that field for every form that has data in the event)
        Map<String, Integer> expected = new TreeMap<>();
        for (Map<String, String> r : csv) {
            String instrument = r.get("redcap_repeat_instrument");
            if (!instrument.isEmpty()) {
                expected.merge("FORM." + instrument.toUpperCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        Map<String, Integer> actual = new TreeMap<>();
        int checkedValues = 0;
        for (Map.Entry<String, List<DatasetRow>> d : datasets.entrySet()) {
            String form = d.getKey().substring("FORM.".length()).toLowerCase(Locale.ROOT);
            boolean repeating = repeatingInstruments.contains(form);
            for (DatasetRow row : d.getValue()) {
                Map<String, String> v = row.values();
                assertThat(v.get("STUDYID")).isEqualTo("Project.NUM");
                assertThat(v.get("ITEMGROUPOID")).as("REDCap item groups never repeat").isEmpty();
                if (repeating) {
                    actual.merge(d.getKey(), 1, Integer::sum);
                }
                String event = v.get("STUDYEVENTOID").substring("Event.".length());
                String key = v.get("SUBJECTKEY") + "|" + event + "|" + (repeating ? form : "") + "|"
                        + (repeating ? v.get("FORMREPEATKEY") : "");
                Map<String, String> csvRow = csvByKey.get(key);
                assertThat(csvRow).as("CSV row for %s", key).isNotNull();
                for (Map.Entry<String, String> item : csvRow.entrySet()) {
                    String column = item.getKey().toUpperCase(Locale.ROOT);
                    if (v.containsKey(column) && !OdmFlattener.CONTEXT.contains(column)) {
                        // the one difference between REDCap's two exports: ODM writes datetimes in ISO 8601 (T), the CSV
                        // with a space
                        String expectedValue = item.getValue().replaceFirst("^(\\d{4}-\\d\\d-\\d\\d) (\\d\\d:\\d\\d)", "$1T$2");
                        assertThat(v.get(column)).as("%s %s %s", d.getKey(), key, column).isEqualTo(expectedValue);
                        checkedValues++;
                    }
                }
                assertThat(v.get(form.toUpperCase(Locale.ROOT) + "_COMPLETE")).as("%s has its status", key).isNotNull();
            }
        }
        assertThat(actual).isEqualTo(expected);
        // every non-repeating form: one row per CSV event row that has the form's status
        for (String dataset : datasets.keySet()) {
            String form = dataset.substring("FORM.".length()).toLowerCase(Locale.ROOT);
            if (repeatingInstruments.contains(form)) {
                continue;
            }
            long csvRows = csv.stream().filter(r -> r.get("redcap_repeat_instrument").isEmpty()
                    && !r.getOrDefault(form + "_complete", "").isEmpty()).count();
            assertThat(datasets.get(dataset)).as(dataset).hasSize((int) csvRows);
        }
        assertThat(datasets).hasSize(14);
        assertThat(datasets.get("FORM.MEDIKATION")).hasSize(29);
        assertThat(datasets.get("FORM.DEMOGRAPHIE")).hasSize(16);
        assertThat(checkedValues).isGreaterThan(5_000);
        assertThat(Files.list(spool).toList()).as("spool deleted on close").isEmpty();
    }

    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private static String odm(String body) {
        return HEAD + "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\" ODMVersion=\"1.3.2\" FileType=\"Transactional\">"
                + body + "</ODM>";
    }

    @Test
    void metadataDecodesRepeatingGroupsCheckboxesAndRemovals() throws Exception {
        String xml = odm("""
                <Study OID="S1"><MetaDataVersion OID="v1" Name="v1">
                  <ItemGroupDef OID="IG.AE" Name="AE" Repeating="Yes"/>
                  <ItemGroupDef OID="IG.DM" Name="DM" Repeating="No"/>
                  <ItemDef OID="SEX" Name="Sex" DataType="integer"><CodeListRef CodeListOID="CL.SEX"/></ItemDef>
                  <ItemDef OID="WEIGHT" Name="Weight" DataType="float"/>
                  <CodeList OID="CL.SEX" Name="Sex" DataType="integer">
                    <CodeListItem CodedValue="1"><Decode><TranslatedText xml:lang="en">Male</TranslatedText>
                      <TranslatedText xml:lang="de">Maennlich</TranslatedText></Decode></CodeListItem>
                    <CodeListItem CodedValue="2"><Decode><TranslatedText>Female</TranslatedText></Decode></CodeListItem>
                  </CodeList>
                </MetaDataVersion></Study>
                <ClinicalData StudyOID="S1" MetaDataVersionOID="v1">
                  <SubjectData SubjectKey="001">
                    <StudyEventData StudyEventOID="SE.BASE">
                      <FormData FormOID="F.DM">
                        <ItemGroupData ItemGroupOID="IG.DM">
                          <ItemData ItemOID="SEX" Value="2"/><ItemData ItemOID="WEIGHT" Value="070.50"/>
                          <ItemData ItemOID="symptom___1" Value="1"/><ItemData ItemOID="symptom___2" Value="0"/>
                          <ItemDataString ItemOID="NOTE">free text</ItemDataString>
                          <ItemData ItemOID="OLD" Value="x" TransactionType="Remove"/>
                          <AuditRecord><UserRef UserOID="u1"/><DateTimeStamp>2024-01-01T00:00:00</DateTimeStamp></AuditRecord>
                        </ItemGroupData>
                        <ItemGroupData ItemGroupOID="IG.AE" ItemGroupRepeatKey="1"><ItemData ItemOID="AETERM" Value="Fever"/></ItemGroupData>
                        <ItemGroupData ItemGroupOID="IG.AE" ItemGroupRepeatKey="2" TransactionType="Remove"><ItemData ItemOID="AETERM" Value="Rash"/></ItemGroupData>
                        <ItemGroupData ItemGroupOID="IG.AE" ItemGroupRepeatKey="3"><ItemData ItemOID="AETERM" Value="Cough"/></ItemGroupData>
                      </FormData>
                      <FormData FormOID="F.VS" FormRepeatKey="2" TransactionType="Remove">
                        <ItemGroupData ItemGroupOID="IG.VS"><ItemData ItemOID="HR" Value="80"/></ItemGroupData>
                      </FormData>
                    </StudyEventData>
                  </SubjectData>
                  <SubjectData SubjectKey="002" TransactionType="Remove">
                    <StudyEventData StudyEventOID="SE.BASE"><FormData FormOID="F.DM">
                      <ItemGroupData ItemGroupOID="IG.DM"><ItemData ItemOID="SEX" Value="1"/></ItemGroupData>
                    </FormData></StudyEventData>
                  </SubjectData>
                  <SubjectData SubjectKey="003">
                    <StudyEventData StudyEventOID="SE.BASE"><FormData FormOID="F.VS">
                      <ItemGroupData ItemGroupOID="IG.VS" ItemGroupRepeatKey="1"><ItemData ItemOID="HR" Value="72"/></ItemGroupData>
                      <ItemGroupData ItemGroupOID="IG.VS" ItemGroupRepeatKey="2"><ItemData ItemOID="HR" Value="75"/></ItemGroupData>
                    </FormData></StudyEventData>
                  </SubjectData>
                </ClinicalData>""");
        Map<String, List<DatasetRow>> d = readAll(new OdmDatasetReader(spool), "t.xml", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(d.keySet()).containsExactly("F.DM", "F.VS");
        List<DatasetRow> dm = d.get("F.DM");
        assertThat(dm).hasSize(3); // the form row and two AE group rows; AE 2 removed, subject 002 removed
        Map<String, String> form = dm.get(0).values();
        assertThat(form).containsEntry("SUBJECTKEY", "001").containsEntry("SEX", "2").containsEntry("SEX_DECODE", "Female")
                .containsEntry("WEIGHT", "70.5").containsEntry("SYMPTOM___1", "1").containsEntry("SYMPTOM___2", "0")
                .containsEntry("NOTE", "free text").containsEntry("OLD", "").containsEntry("ITEMGROUPOID", "")
                .containsEntry("STUDYID", "S1").containsEntry("AETERM", "");
        assertThat(dm.get(1).values()).containsEntry("ITEMGROUPOID", "IG.AE").containsEntry("ITEMGROUPREPEATKEY", "1")
                .containsEntry("AETERM", "Fever").containsEntry("SEX", "");
        assertThat(dm.get(2).values()).containsEntry("ITEMGROUPREPEATKEY", "3").containsEntry("AETERM", "Cough");
        // without metadata IG.VS repeats because it occurs twice in the form instance; F.VS of 001 was removed
        List<DatasetRow> vs = d.get("F.VS");
        assertThat(vs).extracting(r -> r.values().get("HR")).containsExactly("", "72", "75");
        assertThat(vs).extracting(r -> r.values().get("SUBJECTKEY")).containsOnly("003");
        assertThat(vs).extracting(DatasetRow::number).containsExactly(1, 2, 3);
    }
}
