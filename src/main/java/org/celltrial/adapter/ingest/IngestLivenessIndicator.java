package org.celltrial.adapter.ingest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Liveness of the ingest (health contributor {@code ingestLiveness}, in the liveness group): DOWN when only a restart
 * can get the ingest going again, which a crash-safe restart then does (an interrupted delivery is taken up again).
 * Readiness ({@link IngestHealthIndicator}) already turns DOWN much earlier for each of these; liveness waits
 * {@code celltrial.health.ingest-restart-after} (10 min) more, so a slow but moving ingest is never killed:
 * <ul>
 *   <li>an abandoned attempt (past its time budget) has still not stopped: it is stuck where it cannot check its flag
 *       (a database call that does not return, a loop without a safe point), and threads are never interrupted;</li>
 *   <li>an attempt runs past its time budget and was not abandoned: the poller thread that abandons it is stuck;</li>
 *   <li>the inbox has not been polled, with no delivery running: the poller's thread died or hangs.</li>
 * </ul>
 * With {@code celltrial.ingest.enabled=false} it is UP and says so.
 */
@Component("ingestLiveness")
public class IngestLivenessIndicator implements HealthIndicator {

    private final IngestProperties props;
    private final IngestSafetyProperties safety;
    private final DeliveryGuard guard;
    private final Duration restartAfter;

    public IngestLivenessIndicator(IngestProperties props, IngestSafetyProperties safety, DeliveryGuard guard,
                                   @Value("${celltrial.health.ingest-restart-after:10m}") Duration restartAfter) {
        this.props = props;
        this.safety = safety;
        this.guard = guard;
        this.restartAfter = restartAfter;
    }

    @Override
    public Health health() {
        if (!props.enabled()) {
            return Health.up().withDetail("poller", "disabled (celltrial.ingest.enabled=false)").build();
        }
        List<String> problems = problems(guard, safety.timeBudget(), restartAfter, Instant.now());
        Health.Builder health = problems.isEmpty() ? Health.up() : Health.down().withDetail("problems", problems);
        return health.withDetail("restartAfter", DeliveryGuard.human(restartAfter)).build();
    }

    /** Why the ingest can only be revived by a restart; empty when it is alive. */
    static List<String> problems(DeliveryGuard guard, Duration timeBudget, Duration restartAfter, Instant now) {
        List<String> problems = new ArrayList<>();
        DeliveryGuard.Snapshot s = guard.snapshot();
        if (s.abandonedAlive() && Duration.between(s.abandonedAt(), now).compareTo(restartAfter) > 0) {
            problems.add("the abandoned ingest of a delivery has not stopped within " + DeliveryGuard.human(restartAfter)
                    + " (celltrial.health.ingest-restart-after); only a restart ends it");
        }
        long running = guard.runningNanos();
        if (running >= 0 && running > timeBudget.plus(restartAfter).toNanos()) {
            problems.add("a delivery has run " + DeliveryGuard.human(restartAfter) + " past its time budget without being abandoned;"
                    + " the inbox poller is stuck");
        }
        if (running < 0 && guard.nanosSinceLastBeat() > restartAfter.toNanos()) {
            problems.add("the inbox has not been polled for " + Duration.ofNanos(guard.nanosSinceLastBeat()).toSeconds()
                    + " s; the poller's thread died or hangs");
        }
        return problems;
    }
}
