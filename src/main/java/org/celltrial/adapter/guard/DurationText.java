package org.celltrial.adapter.guard;

import java.time.Duration;

/** A duration as people write it in application.yaml: "30 s", "500 ms", "10 min". */
final class DurationText {

    private DurationText() {
    }

    static String of(Duration d) {
        if (d == null || d.isZero()) {
            return "none";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + " min";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
