package org.celltrial.adapter.ingest.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery's define.xml as the read stage uses it: found, refused, per dataset, per record. */
class DeliveryDefineTest {

    /** A small Define-XML 2.1: DS with a value-level DSDECOD (two codelists by DSCAT), AE with a typed AESEQ. */
    static final String DEFINE = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" xmlns:def="http://www.cdisc.org/ns/def/v2.1" ODMVersion="1.3.2">
             <Study OID="S-1"><GlobalVariables><StudyName>S-1</StudyName></GlobalVariables>
              <MetaDataVersion OID="MDV.1" Name="m" def:DefineVersion="2.1.0">
               <def:ValueListDef OID="VL.DSDECOD">
                <ItemRef ItemOID="IT.DS.DSDECOD.DE" OrderNumber="1" Mandatory="No"><def:WhereClauseRef WhereClauseOID="WC.DE"/></ItemRef>
                <ItemRef ItemOID="IT.DS.DSDECOD.PM" OrderNumber="2" Mandatory="No"><def:WhereClauseRef WhereClauseOID="WC.PM"/></ItemRef>
               </def:ValueListDef>
               <def:WhereClauseDef OID="WC.DE"><RangeCheck Comparator="EQ" SoftHard="Soft" def:ItemOID="IT.DS.DSCAT"><CheckValue>DISPOSITION EVENT</CheckValue></RangeCheck></def:WhereClauseDef>
               <def:WhereClauseDef OID="WC.PM"><RangeCheck Comparator="NE" SoftHard="Soft" def:ItemOID="IT.DS.DSCAT"><CheckValue>DISPOSITION EVENT</CheckValue></RangeCheck></def:WhereClauseDef>
               <ItemGroupDef OID="IG.DS" Name="DS" Domain="DS" Repeating="Yes" Purpose="Tabulation">
                <Description><TranslatedText xml:lang="en">Disposition</TranslatedText></Description>
                <ItemRef ItemOID="IT.STUDYID" OrderNumber="1" Mandatory="Yes"/>
                <ItemRef ItemOID="IT.USUBJID" OrderNumber="2" Mandatory="Yes"/>
                <ItemRef ItemOID="IT.DS.DSSEQ" OrderNumber="3" Mandatory="Yes"/>
                <ItemRef ItemOID="IT.DS.DSTERM" OrderNumber="4" Mandatory="Yes"/>
                <ItemRef ItemOID="IT.DS.DSDECOD" OrderNumber="5" Mandatory="Yes"/>
                <ItemRef ItemOID="IT.DS.DSCAT" OrderNumber="6" Mandatory="No"/>
                <ItemRef ItemOID="IT.DS.DSSTDTC" OrderNumber="7" Mandatory="No"/>
                <ItemRef ItemOID="IT.DS.EPOCH" OrderNumber="8" Mandatory="No"/>
               </ItemGroupDef>
               <ItemGroupDef OID="IG.AE" Name="AE" Domain="AE" Repeating="Yes" Purpose="Tabulation">
                <Description><TranslatedText xml:lang="en">Adverse Events</TranslatedText></Description>
                <ItemRef ItemOID="IT.STUDYID" OrderNumber="1" Mandatory="Yes"/>
                <ItemRef ItemOID="IT.AE.AESEQ" OrderNumber="2" Mandatory="Yes"/>
               </ItemGroupDef>
               <ItemDef OID="IT.STUDYID" Name="STUDYID" DataType="text" Length="8"/>
               <ItemDef OID="IT.USUBJID" Name="USUBJID" DataType="text" Length="20"/>
               <ItemDef OID="IT.DS.DSSEQ" Name="DSSEQ" DataType="integer" Length="8"/>
               <ItemDef OID="IT.AE.AESEQ" Name="AESEQ" DataType="integer" Length="8"/>
               <ItemDef OID="IT.DS.DSTERM" Name="DSTERM" DataType="text" Length="40"/>
               <ItemDef OID="IT.DS.DSDECOD" Name="DSDECOD" DataType="text" Length="40"><def:ValueListRef ValueListOID="VL.DSDECOD"/></ItemDef>
               <ItemDef OID="IT.DS.DSDECOD.DE" Name="DSDECOD" DataType="text" Length="40"><CodeListRef CodeListOID="CL.NCOMPLT"/></ItemDef>
               <ItemDef OID="IT.DS.DSDECOD.PM" Name="DSDECOD" DataType="text" Length="40"><CodeListRef CodeListOID="CL.PROTMLST"/></ItemDef>
               <ItemDef OID="IT.DS.DSCAT" Name="DSCAT" DataType="text" Length="20"/>
               <ItemDef OID="IT.DS.DSSTDTC" Name="DSSTDTC" DataType="date"/>
               <ItemDef OID="IT.DS.EPOCH" Name="EPOCH" DataType="text"><CodeListRef CodeListOID="CL.EPOCH"/></ItemDef>
               <CodeList OID="CL.NCOMPLT" Name="Completion" DataType="text">
                <CodeListItem CodedValue="ADVERSE EVENT"><Decode><TranslatedText xml:lang="en">Adverse Event</TranslatedText></Decode></CodeListItem>
                <CodeListItem CodedValue="COMPLETED"><Decode><TranslatedText xml:lang="en">Completed</TranslatedText></Decode></CodeListItem>
               </CodeList>
               <CodeList OID="CL.PROTMLST" Name="Milestone" DataType="text">
                <CodeListItem CodedValue="INFORMED CONSENT OBTAINED"><Decode><TranslatedText xml:lang="en">Informed Consent</TranslatedText></Decode></CodeListItem>
               </CodeList>
               <CodeList OID="CL.EPOCH" Name="Epoch" DataType="text">
                <EnumeratedItem CodedValue="SCREENING"/>
               </CodeList>
              </MetaDataVersion>
             </Study>
            </ODM>
            """;

    private static DeliveryFile file(String name, String content) {
        return new DeliveryFile(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private static DeliveryDefine load(IngestReport report, DeliveryFile... files) {
        return DeliveryDefine.load(List.of(files), report);
    }

    @Test
    void foundByNameInAnyCaseAndNotedInTheReport() {
        IngestReport report = new IngestReport("d");
        DeliveryDefine define = load(report, file("ds.csv", "x"), file("DEFINE.XML", DEFINE));
        assertThat(define.present()).isTrue();
        assertThat(report.hasProblems()).isFalse();
        assertThat(report.render()).contains("DEFINE.XML: Define-XML 2.1.0 with 2 datasets; used to check data types");
        assertThat(DeliveryDefine.isDefine("Define.xml")).isTrue();
        assertThat(DeliveryDefine.isDefine("define.xml.bak")).isFalse();
        assertThat(DeliveryDefine.isDefine("my-define.xml")).isFalse();
    }

    @Test
    void withoutADefineNothingIsReportedCheckedOrDecoded() {
        IngestReport report = new IngestReport("d");
        DeliveryDefine define = load(report, file("ds.csv", "x"));
        assertThat(define).isSameAs(DeliveryDefine.NONE);
        DeliveryDefine.Dataset ds = define.dataset("DS", "ds.csv", Set.of("DSSEQ"), report);
        Map<String, String> values = Map.of("DSSEQ", "abc", "DSDECOD", "COMPLETED");
        assertThat(ds.typeError(values)).isNull();
        assertThat(ds.withDecodes(values, Set.of("DSDECOD"))).isSameAs(values);
        define.reportDatasetsNotDelivered(Set.of("DS"), report);
        assertThat(report.render()).doesNotContain("Define-XML").doesNotContain("Notes");
    }

    @Test
    void aDefineWithADoctypeIsRejectedAsAFileAndNotUsed() {
        IngestReport report = new IngestReport("d");
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><ODM>&lol;</ODM>";
        DeliveryDefine define = load(report, file("define.xml", hostile));
        assertThat(define).isSameAs(DeliveryDefine.NONE);
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("define.xml");
            assertThat(p.row()).isZero();
            assertThat(p.reason()).startsWith("Define-XML not used (define.xml: a DOCTYPE is not allowed")
                    .endsWith("the datasets were read without it");
        });
        assertThat(report.recordsRejected()).isZero();
    }

    @Test
    void brokenXmlAndTwoDefinesAreRejectedNeverThrown() {
        IngestReport report = new IngestReport("d");
        assertThat(load(report, file("define.xml", DEFINE.substring(0, DEFINE.length() / 2)))).isSameAs(DeliveryDefine.NONE);
        assertThat(report.problems()).singleElement().extracting(IngestReport.Problem::reason).asString()
                .contains("not well-formed XML");
        IngestReport two = new IngestReport("d");
        assertThat(load(two, file("define.xml", DEFINE), file("Define.xml", DEFINE))).isSameAs(DeliveryDefine.NONE);
        assertThat(two.problems()).hasSize(2).allSatisfy(p -> assertThat(p.reason())
                .startsWith("2 Define-XML files in this delivery; none of them was used"));
        IngestReport empty = new IngestReport("d");
        assertThat(load(empty, file("define.xml", ""))).isSameAs(DeliveryDefine.NONE);
        assertThat(empty.problems()).hasSize(1);
    }

    @Test
    void theReportListsLabelAndTheVariablesDefineAndDataDisagreeOn() {
        IngestReport report = new IngestReport("d");
        DeliveryDefine define = load(report, file("define.xml", DEFINE));
        Set<String> columns = new LinkedHashSet<>(List.of("STUDYID", "USUBJID", "DSSEQ", "DSTERM", "DSDECOD", "DSCAT",
                "DSSTDTC", "DSXTRA"));
        define.dataset("DS", "ds.csv", columns, report);
        define.dataset("LB", "lb.csv", Set.of("LBSEQ"), report);
        define.reportDatasetsNotDelivered(Set.of("DS", "LB"), report);
        assertThat(report.defineDataset("ds.csv")).isEqualTo("\"Disposition\"; declared but not in the data: EPOCH;"
                + " in the data but not declared: DSXTRA");
        assertThat(report.defineDataset("lb.csv")).isEqualTo("define.xml does not describe dataset LB");
        assertThat(report.render()).contains("Define-XML (per dataset", "  ds.csv: \"Disposition\"",
                "define.xml describes 1 dataset(s) this delivery does not have: AE");
    }

    @Test
    void aDatasetDeliveredButRejectedWholeIsNotListedAsMissing() {
        IngestReport report = new IngestReport("d");
        load(report, file("define.xml", DEFINE)).reportDatasetsNotDelivered(Set.of("AE", "DS"), report);
        assertThat(report.render()).doesNotContain("this delivery does not have");
    }

    @Test
    void aDefineDeclaringThousandsOfVariablesKeepsTheReportLineShort() {
        StringBuilder refs = new StringBuilder();
        StringBuilder defs = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            refs.append("<ItemRef ItemOID=\"IT.V").append(i).append("\" Mandatory=\"No\"/>");
            defs.append("<ItemDef OID=\"IT.V").append(i).append("\" Name=\"V").append(i).append("\" DataType=\"text\"/>");
        }
        String big = DEFINE.replace("<ItemRef ItemOID=\"IT.AE.AESEQ\" OrderNumber=\"2\" Mandatory=\"Yes\"/>", refs.toString())
                .replace("<ItemDef OID=\"IT.STUDYID\"", defs + "<ItemDef OID=\"IT.STUDYID\"");
        IngestReport report = new IngestReport("d");
        load(report, file("define.xml", big)).dataset("AE", "ae.csv", Set.of("STUDYID"), report);
        assertThat(report.defineDataset("ae.csv")).startsWith("\"Adverse Events\"; declared but not in the data: V0, V1,")
                .contains("V49, … (4950 more); in the data but not declared: none");
        assertThat(report.defineDataset("ae.csv").length()).isLessThan(1000);
    }

    @Test
    void aValueThatDoesNotFitItsDeclaredTypeNamesTheVariable() {
        IngestReport report = new IngestReport("d");
        DeliveryDefine.Dataset ds = load(report, file("define.xml", DEFINE))
                .dataset("DS", "ds.csv", Set.of("STUDYID", "DSSEQ", "DSSTDTC", "DSTERM"), report);
        assertThat(ds.typeError(Map.of("STUDYID", "S-1", "DSSEQ", "1", "DSSTDTC", "2014-03", "DSTERM", "x"))).isNull();
        assertThat(ds.typeError(Map.of("STUDYID", "S-1", "DSSEQ", "abc", "DSSTDTC", "2014-03"))).isEqualTo("DSSEQ");
        assertThat(ds.typeError(Map.of("STUDYID", "S-1", "DSSEQ", "2", "DSSTDTC", "14/03/2014"))).isEqualTo("DSSTDTC");
        assertThat(ds.typeError(Map.of("STUDYID", "S-1", "DSSEQ", ".", "DSSTDTC", ""))).isNull();
        assertThat(ds.dataType("DSSEQ")).isEqualTo("integer");
    }

    @Test
    void decodesComeFromTheValueLevelCodelistWhoseWhereClauseHolds() {
        IngestReport report = new IngestReport("d");
        DeliveryDefine.Dataset ds = load(report, file("define.xml", DEFINE))
                .dataset("DS", "ds.csv", Set.of("DSDECOD", "DSCAT", "EPOCH", "DSTERM"), report);
        Set<String> wanted = Set.of("DSDECOD", "EPOCH");
        Map<String, String> event = ds.withDecodes(Map.of("DSDECOD", "COMPLETED", "DSCAT", "DISPOSITION EVENT",
                "EPOCH", "SCREENING"), wanted);
        assertThat(event).containsEntry("DSDECOD.DECODE", "Completed").containsEntry("DSDECOD", "COMPLETED")
                .doesNotContainKey("EPOCH.DECODE"); // an EnumeratedItem has no decode
        assertThat(ds.decodeColumns(event)).containsExactly("DSDECOD.DECODE");
        Map<String, String> milestone = ds.withDecodes(Map.of("DSDECOD", "INFORMED CONSENT OBTAINED",
                "DSCAT", "PROTOCOL MILESTONE"), wanted);
        assertThat(milestone).containsEntry("DSDECOD.DECODE", "Informed Consent");
        // the clause that holds picks the codelist: a milestone's value is not looked up in the event codelist
        assertThat(ds.withDecodes(Map.of("DSDECOD", "COMPLETED", "DSCAT", "PROTOCOL MILESTONE"), wanted))
                .doesNotContainKey("DSDECOD.DECODE");
        assertThat(ds.withDecodes(Map.of("DSDECOD", "NOT IN THE CODELIST", "DSCAT", "DISPOSITION EVENT"), wanted))
                .doesNotContainKey("DSDECOD.DECODE");
        // only the decodes a mapping reads are added
        Map<String, String> unwanted = Map.of("DSDECOD", "COMPLETED", "DSCAT", "DISPOSITION EVENT");
        assertThat(ds.withDecodes(unwanted, Set.of("EPOCH"))).isSameAs(unwanted);
    }
}
