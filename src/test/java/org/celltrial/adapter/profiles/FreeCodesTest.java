package org.celltrial.adapter.profiles;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FreeCodesTest {

    private static final String STUDY = "https://fhir.celltrial.org/CodeSystem/study#";

    private static ValidationResult findings(String... messages) {
        return new ValidationResult(java.util.Arrays.stream(messages)
                .map(m -> new ValidationResult.Issue(ValidationResult.Severity.WARNING, "Patient.meta.tag[0]", m, "id", 0, 0))
                .toList());
    }

    @Test
    void aQuotedCodingIsGivenTheOtherResourcesCode() {
        ValidationResult first = findings("CodeSystem is unknown and can't be validated: https://fhir.celltrial.org/CodeSystem/study for '"
                + STUDY + "STUDY-A'", "A resource should have narrative");
        List<String> a = List.of(STUDY + "STUDY-A");
        assertThat(FreeCodes.quotedOnlyAsCodings(first, a)).isTrue();
        ValidationResult other = FreeCodes.requote(first, a, List.of(STUDY + "CDISCPILOT01"));
        assertThat(other.issues().get(0).message()).endsWith("for '" + STUDY + "CDISCPILOT01'");
        assertThat(other.issues().get(1).message()).isEqualTo("A resource should have narrative");
    }

    @Test
    void replacementsAreNotReplacedAgain() {
        ValidationResult first = findings("'" + STUDY + "A1' and '" + STUDY + "B2'");
        ValidationResult swapped = FreeCodes.requote(first, List.of(STUDY + "A1", STUDY + "B2"), List.of(STUDY + "B2", STUDY + "A1"));
        assertThat(swapped.issues().get(0).message()).isEqualTo("'" + STUDY + "B2' and '" + STUDY + "A1'");
    }

    @Test
    void aCodeNamedAnyOtherWayOrTwiceIsNotReused() {
        List<String> a = List.of(STUDY + "STUDY-A");
        assertThat(FreeCodes.quotedOnlyAsCodings(findings("Unknown code STUDY-A"), a)).isFalse();
        assertThat(FreeCodes.quotedOnlyAsCodings(findings("'" + STUDY + "STUDY-A' (STUDY-A)"), a)).isFalse();
        assertThat(FreeCodes.quotedOnlyAsCodings(findings("x"), List.of(STUDY + "S1", STUDY + "S1"))).as("not distinct").isFalse();
        assertThat(FreeCodes.quotedOnlyAsCodings(findings("nothing about it"), a)).isTrue();
    }
}
