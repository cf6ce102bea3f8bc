package org.celltrial.adapter.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogScrubberTest {

    @Test
    void resourceIdsAreReplacedButTypesAndOperationsStay() {
        assertThat(LogScrubber.scrub("POST /fhir/Patient/NKAML-P1-NKAML-P1-01-001/$meta-add failed"))
                .isEqualTo("POST /fhir/Patient/*/$meta-add failed");
        assertThat(LogScrubber.scrub("HAPI-2001: Resource Patient/NKAML-P1-NKAML-P1-01-999 is not known"))
                .isEqualTo("HAPI-2001: Resource Patient/* is not known");
        assertThat(LogScrubber.scrub("ResearchSubject/NKNB-P12-NKNB-P12-02-004/_history/3"))
                .isEqualTo("ResearchSubject/*/_history/3");
        assertThat(LogScrubber.scrub("AdverseEvent/X-1,Procedure/X-PR-2;Observation/a.b"))
                .isEqualTo("AdverseEvent/*,Procedure/*;Observation/*");
        assertThat(LogScrubber.scrub("GET Patient/$everything and Patient/_search")).isEqualTo("GET Patient/$everything and Patient/_search");
    }

    @Test
    void idsOfConformanceResourcesAndOtherPathsStay() {
        String canonical = "https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent";
        assertThat(LogScrubber.scrub("does not conform to " + canonical)).isEqualTo("does not conform to " + canonical);
        assertThat(LogScrubber.scrub("ValueSet/sdtm-aesev loaded")).isEqualTo("ValueSet/sdtm-aesev loaded");
        assertThat(LogScrubber.scrub("Delivery processed: /tmp/data/done/20261205-020937-901-demo-nk-nb"))
                .isEqualTo("Delivery processed: /tmp/data/done/20261205-020937-901-demo-nk-nb");
        // a type name inside a longer word is not a reference
        assertThat(LogScrubber.scrub("MyPatient/x")).isEqualTo("MyPatient/x");
    }

    @Test
    void queryValuesAreReplaced() {
        assertThat(LogScrubber.scrub("GET /fhir/Patient?identifier=https://fhir.celltrial.org/sid/usubjid%7CNKAML-P1-01-001&_count=5 took 3 ms"))
                .isEqualTo("GET /fhir/Patient?identifier=*&_count=* took 3 ms");
        assertThat(LogScrubber.scrub("url \"Procedure?patient=Patient/A-1\" done")).isEqualTo("url \"Procedure?patient=*\" done");
        assertThat(LogScrubber.scrub("is it?")).isEqualTo("is it?");
    }

    @Test
    void lineBreaksCannotForgeALogLineAndControlCharactersAreEscaped() {
        String forged = "delivery site-07\n2026-12-05T02:09:57.916Z ERROR 1 --- [main] x : forged";
        assertThat(LogScrubber.scrub(forged)).isEqualTo("delivery site-07\n  | 2026-12-05T02:09:57.916Z ERROR 1 --- [main] x : forged");
        assertThat(LogScrubber.scrub("a\r\nb\rc")).isEqualTo("a\n  | b\n  | c");
        assertThat(LogScrubber.scrub("red \u001B[31m bell \u0007 nul \u0000 tab\tok \u2028"))
                .isEqualTo("red \\u001B[31m bell \\u0007 nul \\u0000 tab\tok \\u2028");
        assertThat(LogScrubber.scrub("plain text")).isSameAs("plain text");
    }

    @Test
    void pathWordsAreTypesOperationsOrQuestionMarks() {
        assertThat(LogScrubber.pathWord("ResearchSubject")).isEqualTo("ResearchSubject");
        assertThat(LogScrubber.pathWord("$everything")).isEqualTo("$everything");
        assertThat(LogScrubber.pathWord("metadata")).isEqualTo("metadata");
        assertThat(LogScrubber.pathWord("NKAML-P1-NKAML-P1-01-001")).isEqualTo("?");
        assertThat(LogScrubber.pathWord("Patient\n2026 forged")).isEqualTo("?");
    }
}
