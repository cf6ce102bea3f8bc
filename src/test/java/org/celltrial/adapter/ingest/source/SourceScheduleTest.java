package org.celltrial.adapter.ingest.source;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Sources pulled on a cron schedule: the definition checks it at start-up, and the Camel route fires on it. */
class SourceScheduleTest {

    private static SourceDefinition cron(String id, String cron, String zone) {
        return new SourceDefinition(id, "jdbc", null, null, null, null, null, cron, zone);
    }

    /** Runs the routes of these sources in a real Camel context for {@code seconds}; the times each was pulled. */
    private static Map<String, List<Long>> pulls(List<SourceDefinition> defs, double seconds) throws Exception {
        SourceRunner runner = mock(SourceRunner.class);
        Map<String, Source> sources = new java.util.LinkedHashMap<>();
        Map<String, List<Long>> pulled = new java.util.LinkedHashMap<>();
        for (SourceDefinition d : defs) {
            Source s = mock(Source.class);
            when(s.definition()).thenReturn(d);
            sources.put(d.id(), s);
            List<Long> times = new CopyOnWriteArrayList<>();
            pulled.put(d.id(), times);
            when(runner.run(d.id())).thenAnswer(i -> {
                times.add(System.currentTimeMillis());
                return null;
            });
        }
        when(runner.sources()).thenReturn(sources);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new SourceRoutes(runner));
            camel.start();
            Thread.sleep((long) (seconds * 1000));
        }
        return pulled;
    }

    @Test
    void aCronScheduledSourceFiresOnItsCronAndNotOnTheDefaultInterval() throws Exception {
        // every second, by cron; a nightly one; and an interval source as it is by default (first pull after 10 s)
        Map<String, List<Long>> pulled = pulls(List.of(cron("every-second", "* * * * * *", "UTC"),
                cron("nightly", "0 30 2 * * *", "Europe/Berlin"),
                new SourceDefinition("interval", "jdbc", null, null, null, null, null, null, null)), 3.5);
        List<Long> times = pulled.get("every-second");
        assertThat(times).hasSizeGreaterThanOrEqualTo(2);
        // on the second, as the cron says: one second apart (not back to back, not at a start-up delay)
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).isBetween(700L, 1300L);
        }
        LocalCheck.nightlyIsNotNow();
        assertThat(pulled.get("nightly")).isEmpty();
        assertThat(pulled.get("interval")).isEmpty();
    }

    /** The nightly cron (02:30 Europe/Berlin) cannot be due during the test unless it runs at that very time. */
    private static final class LocalCheck {
        static void nightlyIsNotNow() {
            java.time.LocalTime t = java.time.LocalTime.now(java.time.ZoneId.of("Europe/Berlin"));
            org.junit.jupiter.api.Assumptions.assumeFalse(t.getHour() == 2 && t.getMinute() == 30);
        }
    }

    @Test
    void aCronScheduleIsCheckedAtStartUp() {
        assertThatThrownBy(() -> cron("bad", "every night", null))
                .hasMessageContaining("source bad: cron 'every night' is not a cron expression");
        assertThatThrownBy(() -> cron("five", "0 30 2 * *", null)).hasMessageContaining("six fields");
        assertThatThrownBy(() -> new SourceDefinition("both", "jdbc", Duration.ofMinutes(5), null, null, null, null,
                "0 30 2 * * *", null)).hasMessageContaining("either schedule (and initial-delay) or cron");
        assertThatThrownBy(() -> cron("zone", "0 30 2 * * *", "Mars/Olympus")).hasMessageContaining("not a time zone");
        assertThatThrownBy(() -> new SourceDefinition("zone-only", "jdbc", null, null, null, null, null, null, "UTC"))
                .hasMessageContaining("cron-zone needs cron");
        assertThat(cron("ok", " 0 30 2 * * * ", "Europe/Berlin").scheduleText()).isEqualTo("cron 0 30 2 * * * Europe/Berlin");
        assertThat(new SourceDefinition("iv", "jdbc", Duration.ofMinutes(15), null, null, null, null, null, null)
                .scheduleText()).isEqualTo("PT15M");
    }
}
