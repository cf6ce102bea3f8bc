package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.CTX;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.with;

class MappingLoaderTest {

    /** A minimal valid file; the broken variants below change one line of it. */
    private static final String PATIENT = """
            domain: XX
            subject: "{STUDYID}-{USUBJID}"
            defines-subjects: true
            translations:
              sex: {M: male, F: female}
            resources:
              - type: Patient
                id: "{STUDYID}-{USUBJID}"
                rules:
                  - {path: gender, column: SEX, translate: sex}
                  - {path: birthDate, column: BRTHDTC}
            """;

    private static String brokenMessage(String yaml) {
        return brokenMessage(Map.of("xx.yaml", yaml));
    }

    private static String brokenMessage(Map<String, String> files) {
        MappingDefinitionException e = catchThrowableOfType(MappingDefinitionException.class,
                () -> new MappingLoader(CTX).load(files));
        assertThat(e).as("the mapping must be rejected").isNotNull();
        return e.getMessage();
    }

    private static String replaceLine(String yaml, int line, String text) {
        List<String> lines = new java.util.ArrayList<>(yaml.lines().toList());
        lines.set(line - 1, text);
        return String.join("\n", lines) + "\n";
    }

    @Test
    void theMinimalFileIsValid() {
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", PATIENT));
        assertThat(set.domains()).containsExactly("XX");
    }

    @Test
    void realMappingsLoadWithStudyDomainsFirst() {
        MappingSet set = Fixtures.mappings();
        assertThat(set.domains()).contains("AE", "CE", "CM", "DM", "DS", "EC", "EX", "MH", "PR", "RELREC", "SE", "SV", "TA", "TE",
                "TI", "TS", "TV", "DI", "SUPP--", "--");
        // study-level domains first, then the one defining subjects, then the others; relationship domains last
        java.util.List<String> order = set.all().stream().map(DomainMapping::domain).toList();
        assertThat(order.indexOf("TS")).isLessThan(order.indexOf("DM"));
        assertThat(order.indexOf("DM")).isLessThan(order.indexOf("AE"));
        assertThat(order.get(order.size() - 1)).isEqualTo("RELREC");
        assertThat(set.forDataset("LB", java.util.Set.of("STUDYID", "USUBJID", "LBSEQ", "LBTESTCD")).orElseThrow().domain())
                .isEqualTo("LB");
        assertThat(set.forDataset("XZ", java.util.Set.of("STUDYID", "USUBJID", "XZSEQ", "XZTERM"))).isEmpty();
        assertThat(set.forDomain("SUPPAE").orElseThrow().domain()).isEqualTo("SUPPAE");
        assertThat(set.version()).matches("[0-9a-f]{16}");
        assertThat(Fixtures.domain("ae").sourceFile()).isEqualTo("ae.yaml");
        assertThat(Fixtures.domain("DM").requiredColumns()).containsExactly("STUDYID", "USUBJID", "SUBJID");
        assertThat(Fixtures.domain("PR").requiredColumns()).containsExactly("STUDYID", "USUBJID", "PRSEQ", "PRTRT");
        assertThat(Fixtures.domain("PR").missingColumns(java.util.Set.of("STUDYID", "USUBJID", "PRTRT")))
                .containsExactly("PRSEQ");
    }

    @Test
    void versionChangesWithTheFiles() {
        MappingLoader loader = new MappingLoader(CTX);
        String a = loader.load(Map.of("xx.yaml", PATIENT)).version();
        assertThat(loader.load(Map.of("xx.yaml", PATIENT)).version()).isEqualTo(a);
        assertThat(loader.load(Map.of("xx.yaml", PATIENT + "# comment\n")).version()).isNotEqualTo(a);
    }

    @Test
    void yamlSyntaxError() {
        String yaml = replaceLine(PATIENT, 10, "      - {path: gender, column: SEX, translate: sex");
        assertThat(brokenMessage(yaml)).startsWith("xx.yaml:11: YAML syntax:").contains("line 10");
    }

    @Test
    void yamlIndentationError() {
        String yaml = replaceLine(PATIENT, 8, "   id: \"{STUDYID}-{USUBJID}\"");
        assertThat(brokenMessage(yaml)).startsWith("xx.yaml:8: YAML syntax:");
    }

    @Test
    void unclosedQuoteSaysWhereItStarts() {
        String yaml = replaceLine(PATIENT, 8, "    id: \"{STUDYID}-{USUBJID}");
        assertThat(brokenMessage(yaml)).startsWith("xx.yaml:").contains("YAML syntax").contains("quoted scalar that starts at line 8");
    }

    @Test
    void unknownKeyInARule() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: birthDate, colum: BRTHDTC}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: unknown key 'colum' (allowed: column, parent, path, reference,"
                + " rules, study-day, template, translate, unless, value, when)");
    }

    @Test
    void unknownKeyAtTopLevel() {
        assertThat(brokenMessage(PATIENT.replace("defines-subjects: true", "defines-subject: true")))
                .startsWith("xx.yaml:3: unknown key 'defines-subject'");
    }

    @Test
    void unknownResourceType() {
        assertThat(brokenMessage(PATIENT.replace("type: Patient", "type: Patiant")))
                .isEqualTo("xx.yaml:7: 'Patiant' is not a FHIR R4 resource type");
    }

    @Test
    void unknownPathElement() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: foo, column: BRTHDTC}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'Patient' has no element 'foo'");
    }

    @Test
    void pathWrittenWithTheResourceTypeInFront() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: Patient.foo, column: BRTHDTC}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'Patient' has no element 'Patient':"
                + " paths start below the resource, write 'foo' instead of 'Patient.foo'");
    }

    @Test
    void unknownNestedPathElement() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: contact.name.surname, column: BRTHDTC}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'Patient.contact.name' has no element 'surname'");
    }

    @Test
    void choiceElementNeedsItsType() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: deceased, column: DTHFL}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'Patient.deceased' is a choice element: name the type, one of deceasedBoolean, deceasedDateTime");
    }

    @Test
    void valueOnACompositeWithoutNestedRules() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: name, value: Anonymous}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'name' is a HumanName: give its parts as nested rules instead of a value");
    }

    @Test
    void referenceToANonReferenceElement() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: maritalStatus, reference: \"ResearchStudy/{STUDYID}\"}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'maritalStatus' is not a Reference");
    }

    @Test
    void referenceWithoutType() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: managingOrganization, reference: \"{STUDYID}\"}");
        assertThat(brokenMessage(yaml)).startsWith("xx.yaml:11: a reference is written Type/{KEY}");
    }

    @Test
    void unknownNamedTranslation() {
        String yaml = replaceLine(PATIENT, 10, "      - {path: gender, column: SEX, translate: gender}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:10: no translation named 'gender' in this file's 'translations'");
    }

    @Test
    void translationTargetThatTheElementCannotHold() {
        assertThat(brokenMessage(PATIENT.replace("M: male", "M: mal")))
                .isEqualTo("xx.yaml:10: translation 'sex': 'mal' is not a valid code for gender");
    }

    @Test
    void constantThatTheElementCannotHold() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: active, value: yes please}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'yes please' is not Y or N");
        String code = replaceLine(PATIENT, 11, "      - {path: gender, value: mal}");
        assertThat(brokenMessage(code)).isEqualTo("xx.yaml:11: 'mal' is not a valid code for gender");
    }

    @Test
    void translationKeyGivenTwice() {
        assertThat(brokenMessage(PATIENT.replace("F: female", "m: female")))
                .isEqualTo("xx.yaml:5: 'M' is translated twice in 'sex'");
    }

    @Test
    void twoValueSourcesInOneRule() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: birthDate, column: BRTHDTC, value: 2000}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: give only one of value, column, template, reference, parent");
    }

    @Test
    void ruleWithoutValue() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: birthDate}");
        assertThat(brokenMessage(yaml)).startsWith("xx.yaml:11: rule for 'birthDate' has no value");
    }

    @Test
    void nestedRulesOnAPrimitive() {
        String yaml = PATIENT + """
                      - path: birthDate
                        rules:
                          - {path: id, value: x}
                """;
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:14: 'birthDate' is a primitive and cannot have nested rules");
    }

    @Test
    void selectorOnASingularElement() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: \"birthDate[0]\", column: BRTHDTC}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'Patient.birthDate' does not repeat; remove [0]");
    }

    @Test
    void badColumnNameInATemplate() {
        assertThat(brokenMessage(PATIENT.replace("id: \"{STUDYID}-{USUBJID}\"", "id: \"{STUDY ID}-{USUBJID}\"")))
                .startsWith("xx.yaml:8: '{STUDY ID}' in template");
    }

    @Test
    void studyDayOnlyWithAColumn() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: birthDate, value: 2000, study-day: XXDY}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: 'translate' and 'study-day' apply to a 'column' rule");
    }

    @Test
    void whenAndUnlessTogether() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: birthDate, column: BRTHDTC, when: A, unless: B}");
        assertThat(brokenMessage(yaml)).isEqualTo("xx.yaml:11: give either 'when' or 'unless'");
    }

    @Test
    void missingResources() {
        assertThat(brokenMessage("domain: XX\n")).isEqualTo("xx.yaml:1: missing 'resources'");
        assertThat(brokenMessage("")).isEqualTo("xx.yaml:1: file is empty");
    }

    @Test
    void definesSubjectsNeedsASubjectKey() {
        assertThat(brokenMessage(PATIENT.replace("subject: \"{STUDYID}-{USUBJID}\"", "description: no subject")))
                .isEqualTo("xx.yaml:3: defines-subjects needs a 'subject' key template");
    }

    @Test
    void duplicateDomainAcrossTwoFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a.yaml", PATIENT);
        files.put("b.yaml", "# a second mapping of the same domain\n\n" + PATIENT.replace("domain: XX", "domain: xx"));
        assertThat(brokenMessage(files)).isEqualTo("b.yaml:3: domain XX is already mapped by a.yaml:1");
    }

    @Test
    void directoryErrors(@TempDir Path dir) throws IOException {
        MappingLoader loader = new MappingLoader(CTX);
        assertThatThrownBy(() -> loader.loadDirectory(dir.resolve("missing")))
                .isInstanceOf(MappingDefinitionException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> loader.loadDirectory(dir))
                .isInstanceOf(MappingDefinitionException.class).hasMessageContaining("no mapping files");
        Files.writeString(dir.resolve("xx.yml"), PATIENT.replace("type: Patient", "type: Patiant"));
        Files.writeString(dir.resolve("notes.txt"), "not a mapping");
        assertThatThrownBy(() -> loader.loadDirectory(dir))
                .isInstanceOf(MappingDefinitionException.class).hasMessage("xx.yml:7: 'Patiant' is not a FHIR R4 resource type");
    }

    @Test
    void referenceTypeIsWrittenWithItsRealName() {
        String yaml = replaceLine(PATIENT, 11, "      - {path: managingOrganization, reference: \"organization/{STUDYID}\"}");
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", yaml));
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        s.map(set.forDomain("XX").orElseThrow(), new SourceRecord("xx.csv", 1, Map.of("STUDYID", "S1", "USUBJID", "U1")));
        assertThat(resource(s, Patient.class, "S1-U1").getManagingOrganization().getReference()).isEqualTo("Organization/S1");
    }

    @Test
    void timeZoneMustBeAnOffset() {
        assertThatThrownBy(() -> new MappingEngine(Fixtures.mappings(), "Asia/Tehran"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("celltrial.ingest.timezone");
        assertThatThrownBy(() -> new MappingEngine(Fixtures.mappings(), "+3:30")).isInstanceOf(IllegalArgumentException.class);
        new MappingEngine(Fixtures.mappings(), "-05:00");
        new MappingEngine(Fixtures.mappings(), "Z");
    }

    /** The worked example of mappings/README.md: DM.ETHNIC plus a new translation entry, in YAML only. */
    @Test
    void newColumnAndTranslationEntryNeedOnlyYaml() throws IOException {
        String dmYaml = Files.readString(Path.of("mappings", "dm.yaml"));
        String extended = dmYaml
                .replace("  sex: {conceptmap: \"https://fhir.celltrial.org/ConceptMap/sdtm-sex\", on-unmapped: reject}\n",
                        "  sex: {conceptmap: \"https://fhir.celltrial.org/ConceptMap/sdtm-sex\", on-unmapped: reject}\n"
                                + "  ethnicity:\n"
                                + "    HISPANIC OR LATINO: [{system: \"urn:oid:2.16.840.1.113883.6.238\", code: \"2135-2\", display: Hispanic or Latino}]\n"
                                + "    NOT HISPANIC OR LATINO: [{system: \"urn:oid:2.16.840.1.113883.6.238\", code: \"2186-5\", display: Not Hispanic or Latino}]\n"
                                + "    NOT REPORTED: [{system: \"http://terminology.hl7.org/CodeSystem/v3-NullFlavor\", code: ASKU, display: Asked but no answer}]\n"
                                + "    UNKNOWN: [{system: \"http://terminology.hl7.org/CodeSystem/v3-NullFlavor\", code: UNK, display: Unknown}]\n")
                .replace("      - {path: deceasedDateTime, column: DTHDTC}\n",
                        "      - {path: deceasedDateTime, column: DTHDTC}\n"
                                + "      - {path: \"extension('https://fhir.celltrial.org/StructureDefinition/ethnicity').valueCodeableConcept\", column: ETHNIC, translate: ethnicity}\n"
                                + "      - {path: \"extension('https://fhir.celltrial.org/StructureDefinition/ethnicity').valueCodeableConcept.text\", column: ETHNIC}\n");
        assertThat(extended).isNotEqualTo(dmYaml).contains("StructureDefinition/ethnicity");
        // a new code translation is one more element in the ConceptMap (data, not Java)
        ConceptMap sex = CTX.newJsonParser().parseResource(ConceptMap.class,
                Files.readString(Path.of("mappings", "terminology", "ConceptMap-sdtm-sex.json")));
        sex.getGroupFirstRep().addElement().setCode("X").addTarget().setCode("other")
                .setEquivalence(org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence.EQUIVALENT);

        MappingSet set = new MappingLoader(CTX).load(Map.of("dm.yaml", extended),
                Map.of("ConceptMap-sdtm-sex.json", CTX.newJsonParser().encodeResourceToString(sex)));
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        s.map(set.forDomain("DM").orElseThrow(), dm(DM_001));
        s.map(set.forDomain("DM").orElseThrow(), with(dm(Fixtures.DM_003), "SEX", "X", "ETHNIC", "not reported"));

        Patient p = resource(s, Patient.class, "NKAML-P1-NKAML-P1-01-001");
        CodeableConcept ethnicity = (CodeableConcept) p.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/ethnicity").getValue();
        assertThat(ethnicity.getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(tuple("urn:oid:2.16.840.1.113883.6.238", "2186-5", "Not Hispanic or Latino"));
        assertThat(ethnicity.getText()).isEqualTo("NOT HISPANIC OR LATINO");
        assertThat(p.getGender()).isEqualTo(AdministrativeGender.MALE);

        Patient other = resource(s, Patient.class, "NKAML-P1-NKAML-P1-01-003");
        assertThat(other.getGender()).isEqualTo(AdministrativeGender.OTHER);
        assertThat(((CodeableConcept) other.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/ethnicity")
                .getValue()).getCodingFirstRep().getCode()).isEqualTo("ASKU");

        // the open world: a value the table does not know is kept as text and flagged (on-unmapped: keep)
        java.util.List<DataQualityIssue> issues = s.map(set.forDomain("DM").orElseThrow(),
                with(dm(Fixtures.DM_002), "ETHNIC", "DECLINED"));
        assertThat(issues).contains(new DataQualityIssue("unmapped-term", "ETHNIC", "DECLINED", "ethnicity",
                "Patient.extension('https://fhir.celltrial.org/StructureDefinition/ethnicity').valueCodeableConcept"));
        // and a sex the ConceptMap does not know is still an error (dm.yaml: on-unmapped: reject)
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> s.map(
                set.forDomain("DM").orElseThrow(), with(dm(Fixtures.DM_003), "USUBJID", "NKAML-P1-01-009", "SEX", "DECLINED")));
        assertThat(e.column()).isEqualTo("SEX");
        assertThat(e.getMessage()).startsWith("value 'DECLINED' has no translation in 'ConceptMap https://fhir.celltrial.org/ConceptMap/sdtm-sex'");
    }
    /** Several columns in one condition must all hold; unless is the opposite of the whole; "" is the empty value. */
    @Test
    void conditionOverSeveralColumns() {
        String yaml = """
                domain: XX
                subject: "{STUDYID}-{USUBJID}"
                defines-subjects: true
                resources:
                  - type: Patient
                    id: "{STUDYID}-{USUBJID}"
                    when: {KIND: A, SUB: [X, ""]}
                    rules:
                      - {path: birthDate, column: BRTHDTC}
                      - {path: active, value: "true", unless: {KIND: A, SUB: X}}
                """;
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", yaml));
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        DomainMapping xx = set.forDomain("XX").orElseThrow();
        java.util.function.BiFunction<String, String[], SourceRecord> rec = (id, kv) -> {
            Map<String, String> v = new java.util.LinkedHashMap<>(Map.of("STUDYID", "S", "USUBJID", id, "BRTHDTC", "2010-01-01"));
            for (int k = 0; k < kv.length; k += 2) {
                v.put(kv[k], kv[k + 1]);
            }
            return new SourceRecord("xx.csv", 1, v);
        };
        s.map(xx, rec.apply("1", new String[] {"KIND", "a", "SUB", " x "}));
        s.map(xx, rec.apply("2", new String[] {"KIND", "A", "SUB", ""}));
        s.map(xx, rec.apply("3", new String[] {"KIND", "A", "SUB", "Y"}));
        s.map(xx, rec.apply("4", new String[] {"KIND", "B", "SUB", "X"}));
        assertThat(s.result().all()).extracting(r -> r.resource().getIdPart()).containsExactly("S-1", "S-2");
        assertThat(resource(s, Patient.class, "S-1").hasActive()).as("KIND A and SUB X: unless holds").isFalse();
        assertThat(resource(s, Patient.class, "S-2").getActive()).as("SUB empty: not all hold").isTrue();
    }

    @Test
    void onlyASubjectsResourceCanBeContributedTo() {
        String yaml = PATIENT.replace("  - type: Patient\n", "  - type: Patient\n    contributes-to: DM\n")
                .replace("id: \"{STUDYID}-{USUBJID}\"\n    rules", "id: \"{STUDYID}\"\n    rules");
        assertThat(yaml).contains("contributes-to: DM");
        assertThat(brokenMessage(yaml)).contains("only a subject's resource can be contributed to");
    }
    /** A numeric condition compares the column as a number: every spelling of zero is zero; text never holds. */
    @Test
    void numericConditions() {
        String yaml = """
                domain: XX
                subject: "{STUDYID}-{USUBJID}"
                defines-subjects: true
                resources:
                  - type: Patient
                    id: "{STUDYID}-{USUBJID}"
                    rules:
                      - {path: active, value: "true", when: {AGE: {eq: 0}}}
                      - {path: "name[+].text", value: "young", when: {AGE: {lt: 2}}}
                """;
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", yaml));
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        DomainMapping xx = set.forDomain("XX").orElseThrow();
        String[] ages = {"0", "0.0", "00", "0E0", "-0", "1.5", "2", "abc", ""};
        for (int i = 0; i < ages.length; i++) {
            s.map(xx, new SourceRecord("xx.csv", i + 1, Map.of("STUDYID", "S", "USUBJID", "U" + i, "AGE", ages[i])));
        }
        for (int i = 0; i < ages.length; i++) {
            Patient p = resource(s, Patient.class, "S-U" + i);
            assertThat(p.hasActive()).as("eq 0: '%s'", ages[i]).isEqualTo(i < 5);
            assertThat(p.hasName()).as("lt 2: '%s'", ages[i]).isEqualTo(i < 6);
        }
        assertThat(brokenMessage(yaml.replace("{eq: 0}", "{about: 0}"))).contains("'about' is not a comparison");
        assertThat(brokenMessage(yaml.replace("{eq: 0}", "{eq: zero}"))).contains("must be a number");
    }
}
