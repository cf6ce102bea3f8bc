package org.celltrial.adapter.guard;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FhirRequestRulesTest {

    private static final LimitsProperties LIMITS = LimitsProperties.defaults();

    @Test
    void wildcardIncludesAreRefused() {
        assertThat(FhirRequestRules.refusal(q("_include", "*"), LIMITS)).contains("wildcard");
        assertThat(FhirRequestRules.refusal(q("_revinclude", "*"), LIMITS)).contains("wildcard");
        assertThat(FhirRequestRules.refusal(q("_include:iterate", "ResearchSubject:*"), LIMITS)).contains("wildcard");
        assertThat(FhirRequestRules.refusal(q("_include", "ResearchSubject:individual,*"), LIMITS)).contains("wildcard");
        assertThat(FhirRequestRules.refusal(q("_include", "ResearchSubject:individual"), LIMITS)).isNull();
    }

    @Test
    void tooManyIncludesAreRefused() {
        Map<String, String[]> params = new LinkedHashMap<>();
        params.put("_include", new String[]{"A:a", "A:b", "A:c", "A:d", "A:e", "A:f"});
        params.put("_revinclude", new String[]{"B:a", "B:b", "B:c", "B:d", "B:e"});
        assertThat(FhirRequestRules.refusal(params, LIMITS)).contains("11 _include/_revinclude values; at most 10");
    }

    @Test
    void aNegativeOrNonNumericOffsetIsRefused() {
        assertThat(FhirRequestRules.refusal(q("_offset", "-5"), LIMITS)).isEqualTo("_offset must be a whole number of 0 or more");
        assertThat(FhirRequestRules.refusal(q("_offset", "1e3"), LIMITS)).isNotNull();
        assertThat(FhirRequestRules.refusal(q("_offset", "99999999999"), LIMITS)).isNotNull();
        assertThat(FhirRequestRules.refusal(q("_offset", "20"), LIMITS)).isNull();
    }

    @Test
    void totalAccurateIsRefusedOnlyWhenConfigured() {
        assertThat(FhirRequestRules.refusal(q("_total", "accurate"), LIMITS)).isNull();
        LimitsProperties refusing = new LimitsProperties(LIMITS.maxRequestBody(), 16, 100, 200, 4, 100, 10, 1000, false, 2);
        assertThat(FhirRequestRules.refusal(q("_total", "accurate"), refusing)).contains("_total=accurate is not allowed");
    }

    @Test
    void expensiveRequests() {
        assertThat(FhirRequestRules.isExpensive("GET", "/Patient/x/$everything", Map.of(), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("POST", "/AdverseEvent/$validate", Map.of(), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("POST", "", Map.of(), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/Patient/_history", Map.of(), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/ResearchSubject", q("_include", "ResearchSubject:individual"), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/ResearchSubject", q("_total", "accurate"), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/AdverseEvent", q("_summary", "count"), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/AdverseEvent", q("_count", "500"), LIMITS)).isTrue();
        // Bulk Data: kick-off and status only start and read a background job
        assertThat(FhirRequestRules.isExpensive("GET", "/$export", Map.of(), LIMITS)).isFalse();
        assertThat(FhirRequestRules.isExpensive("POST", "/Group/study-A/$export", Map.of(), LIMITS)).isFalse();
        assertThat(FhirRequestRules.isExpensive("GET", "/$export-poll-status", q("_jobId", "x"), LIMITS)).isFalse();
        assertThat(FhirRequestRules.isExpensive("GET", "/AdverseEvent", q("_sort", "date"), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/Procedure", q("patient.identifier", "x|y"), LIMITS)).isTrue();
        assertThat(FhirRequestRules.isExpensive("GET", "/Patient", q("_has:Observation:patient:code", "x"), LIMITS)).isTrue();
    }

    @Test
    void cheapRequests() {
        assertThat(FhirRequestRules.isExpensive("GET", "/Patient/x", Map.of(), LIMITS)).isFalse();
        assertThat(FhirRequestRules.isExpensive("GET", "/Patient", q("identifier", "s|v"), LIMITS)).isFalse();
        assertThat(FhirRequestRules.isExpensive("GET", "/Observation", q("_count", "100"), LIMITS)).isFalse();
        assertThat(FhirRequestRules.isExpensive("GET", "/metadata", Map.of(), LIMITS)).isFalse();
        Map<String, String[]> page = new LinkedHashMap<>(q("_getpages", "uuid"));
        page.put("_count", new String[]{"500"});
        assertThat(FhirRequestRules.isExpensive("GET", "", page, LIMITS)).isFalse();
    }

    private static Map<String, String[]> q(String name, String value) {
        return Map.of(name, new String[]{value});
    }
}
