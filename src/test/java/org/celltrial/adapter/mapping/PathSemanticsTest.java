package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.CTX;
import static org.celltrial.adapter.mapping.Fixtures.resource;

/** The path and rule semantics that mappings/README.md promises, on small inline mappings. */
class PathSemanticsTest {

    private static MappingSession mapOne(String rules, Map<String, String> values) {
        String yaml = """
                domain: XX
                resources:
                  - type: Patient
                    id: "{ID}"
                    rules:
                """ + rules.indent(6);
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", yaml));
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        s.map(set.forDomain("XX").orElseThrow(), new SourceRecord("xx.csv", 1, values));
        return s;
    }

    private static Patient patient(String rules, Map<String, String> values) {
        return resource(mapOne(rules, values), Patient.class, values.get("ID"));
    }

    @Test
    void intermediateStepReusesTheFirstAndRepeatingLastStepAppends() {
        Patient p = patient("""
                - {path: name.family, column: LAST}
                - {path: name.given, column: FIRST}
                - {path: name.given, column: MIDDLE}
                """, Map.of("ID", "p1", "LAST", "Rostami", "FIRST", "Sara", "MIDDLE", "Leila"));
        assertThat(p.getName()).hasSize(1);
        assertThat(p.getNameFirstRep().getFamily()).isEqualTo("Rostami");
        assertThat(p.getNameFirstRep().getGiven()).extracting(StringType::getValue).containsExactly("Sara", "Leila");
    }

    @Test
    void singularLastStepReplaces() {
        Patient p = patient("""
                - {path: gender, value: female}
                - {path: gender, value: male}
                """, Map.of("ID", "p1"));
        assertThat(p.getGender().toCode()).isEqualTo("male");
    }

    @Test
    void plusAlwaysAppendsAndIndexPicksOrPads() {
        Patient p = patient("""
                - {path: "name[+].family", value: A}
                - {path: "name[+].family", value: B}
                - {path: "name[3].family", value: D}
                - {path: "name[0].text", value: first}
                """, Map.of("ID", "p1"));
        assertThat(p.getName()).extracting(HumanName::getFamily, HumanName::getText).containsExactly(
                tuple("A", "first"), tuple("B", null), tuple(null, null), tuple("D", null));
    }

    @Test
    void selectorPicksOrCreatesTheMatchingElement() {
        Patient p = patient("""
                - {path: "identifier[system=urn:a].value", column: A}
                - {path: "identifier[system=urn:b].value", column: B}
                - {path: "identifier[system=urn:a].use", value: official}
                - {path: "identifier[system={SYS}].value", column: C}
                """, Map.of("ID", "p1", "A", "1", "B", "2", "C", "3", "SYS", "urn:a"));
        assertThat(p.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue,
                        i -> i.getUse() == null ? null : i.getUse().toCode())
                .containsExactly(tuple("urn:a", "3", "official"), tuple("urn:b", "2", null));
    }

    @Test
    void extensionIsFoundByUrlOrCreated() {
        Patient p = patient("""
                - {path: "extension('urn:x').valueString", column: A}
                - {path: "extension('urn:x').valueString", column: B}
                - {path: "extension('urn:y').valueInteger", column: N}
                """, Map.of("ID", "p1", "A", "first", "B", "second", "N", "-3"));
        assertThat(p.getExtension()).hasSize(2);
        assertThat(p.getExtensionByUrl("urn:x").getValue().primitiveValue()).isEqualTo("second");
        assertThat(p.getExtensionByUrl("urn:y").getValue().primitiveValue()).isEqualTo("-3");
    }

    @Test
    void emptyColumnsSetNothingAndConditionsAreCaseInsensitive() {
        Patient p = patient("""
                - {path: birthDate, column: BRTHDTC}
                - {path: active, value: "true", when: {STATUS: [active, enrolled]}}
                - {path: gender, value: unknown, unless: SEX}
                - path: "contact[0]"
                  rules:
                    - {path: name.text, column: CONTACT}
                """, Map.of("ID", "p1", "BRTHDTC", "", "STATUS", "Enrolled", "CONTACT", ""));
        assertThat(p.hasBirthDate()).isFalse();
        assertThat(p.getActive()).isTrue();
        assertThat(p.getGender().toCode()).isEqualTo("unknown");
        assertThat(p.hasContact()).as("a composite whose nested rules all produce nothing is not created").isFalse();
    }

    @Test
    void templatesAndBooleansAndNumbers() {
        Patient p = patient("""
                - {path: name.text, template: "{FIRST} {LAST}"}
                - {path: active, column: FLAG}
                - {path: multipleBirthInteger, column: N}
                """, Map.of("ID", "p1", "FIRST", "Sara", "LAST", "Rostami", "FLAG", "n", "N", "2"));
        assertThat(p.getNameFirstRep().getText()).isEqualTo("Sara Rostami");
        assertThat(p.getActive()).isFalse();
        assertThat(p.getMultipleBirthIntegerType().getValue()).isEqualTo(2);
    }

    @Test
    void templateWithAnEmptyColumnIsAnError() {
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> mapOne(
                "- {path: name.text, template: \"{FIRST} {LAST}\"}", Map.of("ID", "p1", "FIRST", "Sara")));
        assertThat(e.column()).isEqualTo("LAST");
    }

    @Test
    void invalidCodeFromTheDataIsRejected() {
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> mapOne(
                "- {path: gender, column: SEX}", Map.of("ID", "p1", "SEX", "M")));
        assertThat(e.column()).isEqualTo("SEX");
        assertThat(e.getMessage()).contains("'M' is not a valid code for gender");
    }

    @Test
    void instantElementsTakeFullDateTimes() {
        String yaml = """
                domain: XX
                resources:
                  - type: Observation
                    id: "{ID}"
                    rules:
                      - {path: status, value: final}
                      - {path: code.text, value: x}
                      - {path: issued, column: DTC}
                """;
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", yaml));
        MappingSession s = new MappingEngine(set, "+03:30").newSession(SubjectDirectory.NONE);
        s.map(set.forDomain("XX").orElseThrow(), new SourceRecord("xx.csv", 1, Map.of("ID", "o1", "DTC", "2022-01-25T10:30")));
        assertThat(resource(s, Observation.class, "o1").getIssuedElement().getValueAsString()).isEqualTo("2022-01-25T10:30:00+03:30");
    }

    @Test
    void profileIsSetOnTheResource() {
        String yaml = """
                domain: XX
                resources:
                  - type: Patient
                    id: "{ID}"
                    profile: https://fhir.celltrial.org/StructureDefinition/celltrial-patient
                    when: {KIND: patient}
                  - type: Observation
                    id: "{ID}"
                    unless: {KIND: patient}
                    rules:
                      - {path: status, value: final}
                      - {path: code.text, column: KIND}
                """;
        MappingSet set = new MappingLoader(CTX).load(Map.of("xx.yaml", yaml));
        MappingSession s = new MappingEngine(set, "Z").newSession(SubjectDirectory.NONE);
        s.map(set.forDomain("XX").orElseThrow(), new SourceRecord("xx.csv", 1, Map.of("ID", "a", "KIND", "PATIENT")));
        s.map(set.forDomain("XX").orElseThrow(), new SourceRecord("xx.csv", 2, Map.of("ID", "b", "KIND", "other")));
        assertThat(Fixtures.ids(s)).containsExactly("Patient/a", "Observation/b");
        assertThat(resource(s, Patient.class, "a").getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly("https://fhir.celltrial.org/StructureDefinition/celltrial-patient");
    }
}
