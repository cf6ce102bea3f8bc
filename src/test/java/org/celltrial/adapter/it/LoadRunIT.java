package org.celltrial.adapter.it;

import org.celltrial.adapter.bench.LoadRun;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI-short run of the load benchmark (src/bench/load-run.sh runs it for 5 minutes): 20 s of searches,
 * $everything, $validate and deliveries at once against the packaged adapter (H2, -Xmx1g): no errors, every
 * delivered record stored and on the server. Refusals (429/503) are allowed; the runner waits as told by Retry-After.
 */
class LoadRunIT {

    @Test
    void twentySecondsOfMixedLoadWithoutErrorsOrLostRecords() throws Exception {
        System.setProperty("load.seedSubjects", System.getProperty("load.seedSubjects", "50"));
        System.setProperty("load.deliverySubjects", System.getProperty("load.deliverySubjects", "10"));
        LoadRun.Result r = LoadRun.run(Duration.ofSeconds(Long.getLong("load.seconds", 20)), null, null, -1);
        assertThat(r.problems()).isEmpty();
        assertThat(r.errors()).isZero();
        assertThat(r.deliveries()).isPositive();
        assertThat(r.storedRecords()).isEqualTo(r.deliveredRecords());
        for (String kind : new String[]{"search", "everything", "validate"}) {
            assertThat(r.kinds().get(kind).errors()).as(kind).isZero();
        }
    }
}
