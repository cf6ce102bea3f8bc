package org.celltrial.adapter.ingest.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void aLineHoldsCountsOnly() {
        Progress p = new Progress("site-07");
        p.rowsRead(12_000);
        p.recordsMapped(11_000);
        p.subjectsWritten(150);
        assertThat(p.line()).isEqualTo("12,000 rows read, 11,000 records mapped, 150 subjects written");
        p.subjectsToWrite(400);
        assertThat(p.line()).isEqualTo("12,000 rows read, 11,000 records mapped, 150 of 400 subjects written");
    }

    @Test
    void aLineIsDueOnceEveryIntervalWhoeverAsks() throws Exception {
        Progress p = new Progress("site-07", 2_000_000_000L); // 2 s
        assertThat(lines(p)).isZero(); // not before the first interval
        Thread.sleep(2_100);
        assertThat(lines(p)).isEqualTo(1); // once, however often it is asked
    }

    /** How many of 1,000 calls logged a line. */
    private static int lines(Progress p) {
        int lines = 0;
        for (int i = 0; i < 1000; i++) {
            lines += p.maybeLog() ? 1 : 0;
        }
        return lines;
    }
}
