package org.celltrial.adapter.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class FhirIdsTest {

    private static final String FHIR_ID = "[A-Za-z0-9\\-.]{1,64}";

    @ParameterizedTest
    @ValueSource(strings = {"NKAML-P1", "NKAML-P1-NKAML-P1-01-001", "NKAML-P1-NKAML-P1-01-001-AE-1", "a.b-C", "X1"})
    void safeKeysAreKept(String key) {
        assertThat(FhirIds.fromKey(key)).isEqualTo(key);
    }

    @Test
    void unsafeCharactersAreReplacedAndHashed() {
        String underscore = FhirIds.fromKey("A_1");
        assertThat(underscore).matches("A-1-[0-9a-f]{12}");
        assertThat(underscore).isNotEqualTo(FhirIds.fromKey("A-1")).isNotEqualTo(FhirIds.fromKey("A 1"));
        assertThat(FhirIds.fromKey("A-1")).isEqualTo("A-1");
        assertThat(FhirIds.fromKey("STUDY 1/SUBJ#2")).matches(FHIR_ID).startsWith("STUDY-1-SUBJ-2-");
        assertThat(FhirIds.fromKey("Müller")).matches(FHIR_ID).startsWith("M-ller-");
    }

    @Test
    void sameKeyAlwaysGivesTheSameId() {
        assertThat(FhirIds.fromKey("A_1")).isEqualTo(FhirIds.fromKey("A_1"));
        String longKey = "S".repeat(100);
        assertThat(FhirIds.fromKey(longKey)).isEqualTo(FhirIds.fromKey(longKey));
    }

    @Test
    void idsAreCappedAt64Characters() {
        String exactly64 = "A".repeat(64);
        assertThat(FhirIds.fromKey(exactly64)).isEqualTo(exactly64);
        String id65 = FhirIds.fromKey("A".repeat(65));
        assertThat(id65).hasSize(64).matches(FHIR_ID).startsWith("A".repeat(51) + "-");
        // keys that share their first 64 characters stay apart
        assertThat(FhirIds.fromKey("A".repeat(64) + "B")).hasSize(64).isNotEqualTo(id65);
        assertThat(FhirIds.fromKey("x_".repeat(100))).hasSize(64).matches(FHIR_ID);
    }

    @Test
    void idsAreNeverAllDigits() {
        String id = FhirIds.fromKey("12345");
        assertThat(id).matches(FHIR_ID).doesNotMatch("\\d+").startsWith("12345-");
        assertThat(FhirIds.fromKey("0")).doesNotMatch("\\d+");
        assertThat(FhirIds.fromKey("12345")).isNotEqualTo(FhirIds.fromKey("12346"));
        assertThat(FhirIds.fromKey("1.5")).isEqualTo("1.5");
    }

    @Test
    void mappedResourceIdsComeFromTheSourceKeys() {
        MappingSession s = Fixtures.session();
        Fixtures.map(s, "DM", Fixtures.with(Fixtures.dm(Fixtures.DM_001), "USUBJID", "NKAML_P1 01/001"));
        assertThat(Fixtures.ids(s)).hasSize(3).allSatisfy(id -> assertThat(id.substring(id.indexOf('/') + 1)).matches(FHIR_ID));
        assertThat(Fixtures.ids(s).get(1)).isEqualTo("Patient/" + FhirIds.fromKey("NKAML-P1-NKAML_P1 01/001"));
        // the business identifier keeps the original value
        org.hl7.fhir.r4.model.Patient p = (org.hl7.fhir.r4.model.Patient) s.result().all().stream().toList().get(1).resource();
        assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo("NKAML_P1 01/001");
    }
}
