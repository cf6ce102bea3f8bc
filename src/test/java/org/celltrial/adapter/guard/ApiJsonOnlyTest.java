package org.celltrial.adapter.guard;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiJsonOnlyTest {

    @Test
    void onlyApplicationJsonCounts() {
        assertThat(ApiJsonOnly.isJson("application/json")).isTrue();
        assertThat(ApiJsonOnly.isJson("Application/JSON; charset=utf-8")).isTrue();
        // what a browser sends cross-site without asking first, and wildcards that would let them through
        for (String other : new String[]{null, "", " ", "text/plain", "text/plain; charset=application/json",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "*/*", "application/*",
                "application/json-seq", "not a type", "application/fhir+json"}) {
            assertThat(ApiJsonOnly.isJson(other)).as(other).isFalse();
        }
    }
}
