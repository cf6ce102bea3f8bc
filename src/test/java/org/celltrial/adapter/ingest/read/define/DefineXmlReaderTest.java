package org.celltrial.adapter.ingest.read.define;

import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemGroupDef;
import org.celltrial.adapter.ingest.read.json.DatasetJsonReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference study's Define-XML 2.1, compared with its Dataset-JSON files; and hostile XML. */
class DefineXmlReaderTest {

    private static DefineXml define;

    @BeforeAll
    static void readReferenceDefine() throws Exception {
        try (InputStream in = Files.newInputStream(ReferenceStudy.ROOT.resolve("define.xml"))) {
            define = new DefineXmlReader().read("define.xml", in);
        }
    }

    @Test
    void studyAndVersion() {
        assertThat(define.studyOid()).isEqualTo("cdisc.com/CDISCPILOT01");
        assertThat(define.studyName()).isEqualTo("CDISCPILOT01");
        assertThat(define.defineVersion()).isEqualTo("2.1.0");
    }

    @Test
    void everyDatasetOfTheStudyIsDefinedWithTheLabelItsDatasetJsonCarries() throws Exception {
        for (Path json : ReferenceStudy.files("dataset-json", ".json")) {
            DatasetMetadata data = ReferenceStudy.readAll(new DatasetJsonReader(), json).get(0).metadata();
            ItemGroupDef group = define.dataset(data.name()).orElseThrow(() -> new AssertionError(data.name()));
            assertThat(group.label()).as(data.name()).isEqualTo(data.label());
            assertThat(group.domain()).as(data.name()).isNotEmpty();
        }
    }

    /** The real study's define declares three datasets it does not deliver (in any format): a report must show them. */
    @Test
    void datasetsDeclaredButNotDelivered() throws Exception {
        List<String> delivered = ReferenceStudy.files("dataset-json", ".json").stream()
                .map(p -> ReferenceStudy.stem(p).toUpperCase()).toList();
        List<String> declaredOnly = define.itemGroups().values().stream().map(ItemGroupDef::name)
                .filter(n -> !delivered.contains(n)).toList();
        assertThat(declaredOnly).containsExactly("NV", "SUPPNV", "SUPPOE");
        assertThat(define.itemGroups()).hasSize(31);
    }

    @Test
    void keyVariablesOfDmAndAe() {
        assertThat(define.dataset("DM").orElseThrow().keyItemOids()).containsExactly("IT.DM.STUDYID", "IT.DM.USUBJID");
        assertThat(define.dataset("ae").orElseThrow().keyItemOids()).containsExactly("IT.AE.STUDYID",
                "IT.AE.USUBJID", "IT.AE.AEDECOD", "IT.AE.AESTDTC", "IT.AE.AELNKID");
        assertThat(define.dataset("DM").orElseThrow().structure()).isEqualTo("One record per subject");
    }

    @Test
    void itemDefsAndCodelists() {
        ItemDef age = define.items().get("IT.DM.AGE");
        assertThat(age.name()).isEqualTo("AGE");
        assertThat(age.dataType()).isEqualTo("integer");
        assertThat(age.length()).isEqualTo(8);
        assertThat(age.label()).isEqualTo("Age");
        assertThat(age.origin()).isEqualTo(new DefineXml.Origin("Collected", "Investigator"));
        ItemDef sex = define.items().get("IT.DM.SEX");
        assertThat(sex.codeListOid()).isEqualTo("CL.SEX");
        assertThat(define.decode(sex, "F")).contains("Female");
        assertThat(define.decode(sex, "M")).contains("Male");
        assertThat(define.decode(sex, "X")).isEmpty();
        DefineXml.CodeList sexes = define.codeLists().get("CL.SEX");
        assertThat(sexes.nciCode()).isEqualTo("C66731");
        assertThat(sexes.items()).extracting(DefineXml.CodeListItem::nciCode).containsExactly("C16576", "C20197");
        DefineXml.CodeList sites = define.codeLists().get("CL.SITEID");
        assertThat(sites.items()).extracting(DefineXml.CodeListItem::codedValue).startsWith("701", "704", "708");
        assertThat(sites.items()).allSatisfy(i -> assertThat(i.decode()).isEmpty());
    }

    @Test
    void valueLevelMetadataIsKept() {
        DefineXml.ValueListDef aeterm = define.valueLists().get("VL.AETERM");
        assertThat(aeterm.itemRefs()).extracting(DefineXml.ItemRef::itemOid)
                .containsExactly("IT.AE.AETERM.1", "IT.AE.AETERM.2");
        assertThat(aeterm.itemRefs().get(0).whereClauseOids()).containsExactly("WC.AETERM1");
        DefineXml.WhereClauseDef where = define.whereClauses().get("WC.AETERM1");
        assertThat(where.rangeChecks()).containsExactly(new DefineXml.RangeCheck("IT.AE.AETERM", "EQ", "Soft",
                List.of("INJECTION SITE REACTION")));
        // every reference resolves
        define.valueLists().values().forEach(v -> v.itemRefs().forEach(r -> {
            assertThat(define.items()).containsKey(r.itemOid());
            r.whereClauseOids().forEach(w -> assertThat(define.whereClauses()).containsKey(w));
        }));
        define.items().values().stream().filter(i -> !i.codeListOid().isEmpty())
                .forEach(i -> assertThat(define.codeLists()).containsKey(i.codeListOid()));
    }

    /**
     * The define's variable list of each dataset against the columns of its Dataset-JSON file. The real study has
     * differences (printed); they are what the delivery report will show, so they are asserted as they are.
     */
    @Test
    void variablesDeclaredByTheDefineAgainstTheColumnsOfTheData() throws Exception {
        List<String> differences = new ArrayList<>();
        for (Path json : ReferenceStudy.files("dataset-json", ".json")) {
            DatasetMetadata data = ReferenceStudy.readAll(new DatasetJsonReader(), json).get(0).metadata();
            ItemGroupDef group = define.dataset(data.name()).orElseThrow();
            List<String> declared = define.variables(group).stream().map(ItemDef::name).toList();
            List<String> columns = data.variables().stream().map(DatasetMetadata.Variable::name).toList();
            List<String> onlyDefine = declared.stream().filter(n -> !columns.contains(n)).toList();
            List<String> onlyData = columns.stream().filter(n -> !declared.contains(n)).toList();
            if (!onlyDefine.isEmpty() || !onlyData.isEmpty()) {
                differences.add(data.name() + ": only in define " + onlyDefine + ", only in data " + onlyData);
            } else if (!declared.equals(columns)) {
                differences.add(data.name() + ": same variables, other order");
            }
            List<String> oids = group.itemRefs().stream().map(DefineXml.ItemRef::itemOid).toList();
            for (DatasetMetadata.Variable v : data.variables()) {
                if (declared.contains(v.name())) {
                    assertThat(oids).as(data.name() + "." + v.name()).contains(v.itemOid());
                }
            }
        }
        differences.forEach(System.out::println);
        assertThat(differences).isEmpty();
    }

    // ---- hostile XML

    private static String failure(String xml) {
        try {
            new DefineXmlReader().read("evil.xml", new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (UnreadableDefineXmlException expected) {
            assertThat(expected.getMessage()).startsWith("evil.xml: ");
            return expected.getMessage();
        } catch (Exception other) {
            throw new AssertionError("not an UnreadableDefineXmlException", other);
        }
        throw new AssertionError("read without failure");
    }

    private static final String MINIMAL = "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"><Study OID=\"S\"><MetaDataVersion>"
            + "<ItemGroupDef OID=\"IG.DM\" Name=\"DM\"><Description><TranslatedText>%s</TranslatedText></Description>"
            + "</ItemGroupDef></MetaDataVersion></Study></ODM>";

    @Test
    void aMinimalDocumentReads() throws Exception {
        DefineXml minimal = new DefineXmlReader().read("ok.xml",
                new ByteArrayInputStream(MINIMAL.formatted("Demo &amp; more").getBytes(StandardCharsets.UTF_8)));
        assertThat(minimal.dataset("DM").orElseThrow().label()).isEqualTo("Demo & more");
    }

    @Test
    void externalEntitiesAreRefused() throws Exception {
        Path secret = Files.createTempFile("secret", ".txt");
        Files.writeString(secret, "TOPSECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE ODM [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + MINIMAL.formatted("&x;");
        assertThat(failure(xxe)).contains("DOCTYPE").doesNotContain("TOPSECRET");
        Files.delete(secret);
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE ODM [<!ENTITY l0 \"ha\">");
        for (int i = 1; i <= 10; i++) {
            dtd.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        String laughs = dtd.append("]>").append(MINIMAL.formatted("&l10;")).toString();
        assertThat(failure(laughs)).contains("DOCTYPE");
    }

    @Test
    void anyDoctypeIsRefusedAndUndeclaredEntitiesFail() {
        assertThat(failure("<!DOCTYPE ODM SYSTEM \"http://example.invalid/odm.dtd\">" + MINIMAL.formatted("x")))
                .contains("DOCTYPE");
        assertThat(failure(MINIMAL.formatted("&undeclared;"))).contains("evil.xml");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "<ODM>" + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</ODM>";
        assertThat(failure(deep)).contains("nested deeper than 64");
    }

    @Test
    void longTextIsRefusedAndBrokenXmlNamed() {
        assertThat(failure(MINIMAL.formatted("x".repeat(100_000)))).contains("text longer than");
        assertThat(failure("<ODM><Study>")).contains("not well-formed").contains("line 1");
        assertThat(failure("<ODM/>")).contains("no ItemGroupDef");
    }
}
