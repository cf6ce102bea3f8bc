package org.celltrial.adapter.ingest.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeyHashesTest {

    @Test
    void aRepeatedKeyIsReportedWithEveryPayloadFirstOneFirst() {
        KeyHashes keys = new KeyHashes();
        assertThat(keys.add("S1\u0000AE\u00001", 1L)).isTrue();
        assertThat(keys.add("S1\u0000AE\u00002", 2L)).isTrue();
        assertThat(keys.add("S1\u0000AE\u00001", 7L)).isFalse();
        assertThat(keys.add("S1\u0000AE\u00001", 9L)).isFalse();

        assertThat(keys.repeats()).containsExactly(List.of(1L, 7L, 9L));
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void keepsEveryKeyApartThroughGrowth() {
        KeyHashes keys = new KeyHashes();
        int n = 200_000; // the table starts at 2,048 slots: many doublings
        for (int i = 0; i < n; i++) {
            keys.add("STUDY-1-" + i + "\u0000" + (i % 37), i);
        }
        assertThat(keys.size()).isEqualTo(n);
        assertThat(keys.repeats()).isEmpty();
        for (int i = 0; i < n; i += 997) {
            assertThat(keys.contains("STUDY-1-" + i + "\u0000" + (i % 37))).isTrue();
        }
        assertThat(keys.contains("STUDY-1-" + n + "\u0000" + (n % 37))).isFalse();
    }

    @Test
    void aSetOfProducedResourcesRemembersNoRepeats() {
        KeyHashes produced = new KeyHashes();
        for (int i = 0; i < 1000; i++) {
            produced.add("ResearchStudy/S1"); // every DM record produced it
        }
        produced.add("Patient/S1-001");

        assertThat(produced.size()).isEqualTo(2);
        assertThat(produced.repeats()).isEmpty();
        assertThat(produced.contains("Patient/S1-001")).isTrue();
        assertThat(produced.contains("Patient/S1-002")).isFalse();
    }
}
