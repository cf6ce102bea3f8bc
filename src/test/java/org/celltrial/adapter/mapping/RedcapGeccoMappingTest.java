package org.celltrial.adapter.mapping;

import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.odm.OdmDatasetReader;
import org.celltrial.adapter.ingest.read.odm.RedcapReferenceExport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The worked example mapping set mappings/redcap-gecco/ on the real REDCap export, read by the ODM reader. */
class RedcapGeccoMappingTest {

    @TempDir
    Path spool;

    @Test
    void redcapFormsMapToPatientsAndHeartRatesWithAllSetsInOneNameSpace() throws Exception {
        MappingSet set = new MappingLoader(Fixtures.CTX).load(MappingFolders.mappingFiles(Path.of("mappings")),
                MappingFolders.terminology(Path.of("mappings")));
        assertThat(MappingFolders.sets(Path.of("mappings"))).contains("default", "redcap-gecco");
        assertThat(set.forDomain("DM")).isPresent(); // the SDTM set is still there
        Map<String, List<SourceRecord>> datasets = new LinkedHashMap<>();
        try (DatasetSource source = new OdmDatasetReader(spool).open("export.xml", RedcapReferenceExport.xml())) {
            DatasetCursor cursor;
            while ((cursor = source.nextDataset()) != null) {
                try (DatasetCursor open = cursor) {
                    List<SourceRecord> rows = new ArrayList<>();
                    DatasetRow row;
                    while ((row = open.next()) != null) {
                        rows.add(new SourceRecord("export.xml", row.number(), row.values()));
                    }
                    datasets.put(open.metadata().name(), rows);
                }
            }
        }
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        List<String> rejected = new ArrayList<>();
        for (String form : List.of("FORM.DEMOGRAPHIE", "FORM.VITALPARAMETER")) {
            DomainMapping mapping = set.forDomain(form).orElseThrow();
            for (SourceRecord r : datasets.get(form)) {
                try {
                    assertThat(s.map(mapping, r)).as("no data-quality issue").isEmpty();
                } catch (RecordMappingException e) {
                    rejected.add(r.get("SUBJECTKEY") + " " + e.getMessage());
                }
            }
        }
        // the two subjects whose sex code (4, 5) the export does not explain are rejected, and so are their vital signs
        assertThat(rejected).allSatisfy(r -> assertThat(r).containsAnyOf("patient_151427985", "patient_453528683"));
        assertThat(rejected).anySatisfy(r -> assertThat(r).contains("no translation in 'sex'"));
        List<Patient> patients = Fixtures.all(s, Patient.class);
        assertThat(patients).hasSize(8);
        Patient p = Fixtures.resource(s, Patient.class, "Project.NUM-patient-048316877-" + FhirIds.sha256Hex(
                "Project.NUM-patient_048316877").substring(0, 12));
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1967-11-29");
        assertThat(p.getGender().toCode()).isEqualTo("female");
        List<Observation> hr = Fixtures.all(s, Observation.class);
        // one per vitalparameter instance with a heart rate: the flat CSV has 21 non-empty 'herzfrequenz' values
        long expected = RedcapReferenceExport.csvRows().stream()
                .filter(r -> r.get("redcap_repeat_instrument").equals("vitalparameter") && !r.get("herzfrequenz").isEmpty()
                        && !List.of("patient_151427985", "patient_453528683").contains(r.get("record_id")))
                .count();
        assertThat(expected).isEqualTo(18);
        assertThat(hr).hasSize((int) expected);
        assertThat(hr).allSatisfy(o -> {
            assertThat(o.getValueQuantity().getCode()).isEqualTo("/min");
            assertThat(o.getSubject().getReference()).startsWith("Patient/Project.NUM-patient");
        });
    }
}
