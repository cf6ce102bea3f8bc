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

    @Test
    void whileTickingALineComesOnTimeWithoutAnyStageAsking() throws Exception {
        Progress p = new Progress("site-07", 1_000_000_000L); // 1 s
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Progress.class);
        ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.AppenderBase<>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent e) {
                lines.add(e.getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
        try {
            p.rowsRead(5);
            try (Progress.Ticking ticking = p.ticking()) {
                Thread.sleep(3_400); // a stage busy with no safe point for 3.4 intervals
            }
            assertThat(lines).hasSizeBetween(2, 3).allMatch(l -> l.equals("Delivery site-07 in progress: 5 rows read, 0 records mapped, 0 subjects written"));
            int ticked = lines.size();
            Thread.sleep(1_300);
            assertThat(lines).as("no line once the run stopped ticking").hasSize(ticked);
        } finally {
            logger.detachAppender(appender);
        }
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
