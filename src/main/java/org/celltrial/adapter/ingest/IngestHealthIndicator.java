package org.celltrial.adapter.ingest;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Readiness of the ingest (health contributor {@code ingest}, in the readiness group): DOWN when the inbox poller route
 * is not started, when it has not polled for {@code celltrial.ingest.safety.poll-stale-after} (while no delivery runs;
 * a running delivery has its time budget), when an abandoned delivery has not stopped within
 * {@code abandon-grace}, or when a data folder's disk has less than {@code min-free-disk} free. With
 * {@code celltrial.ingest.enabled=false} it is UP and says so.
 */
@Component
public class IngestHealthIndicator implements HealthIndicator {

    private final CamelContext camel;
    private final IngestProperties props;
    private final IngestSafetyProperties safety;
    private final DeliveryGuard guard;
    private final DiskSpace disk;

    public IngestHealthIndicator(CamelContext camel, IngestProperties props, IngestSafetyProperties safety,
                                 DeliveryGuard guard, DiskSpace disk) {
        this.camel = camel;
        this.props = props;
        this.safety = safety;
        this.guard = guard;
        this.disk = disk;
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        Health.Builder health = Health.up();
        if (!props.enabled()) {
            health.withDetail("poller", "disabled (celltrial.ingest.enabled=false)");
        } else {
            ServiceStatus status = camel.getRouteController().getRouteStatus(InboxPollingRoute.ROUTE_ID);
            health.withDetail("poller", status == null ? "missing" : status.name());
            if (status != ServiceStatus.Started) {
                problems.add("the inbox poller route is " + (status == null ? "missing" : status.name().toLowerCase()));
            }
            DeliveryGuard.Snapshot s = guard.snapshot();
            health.withDetail("lastPoll", s.lastPoll().toString());
            long running = guard.runningNanos();
            if (running >= 0) {
                health.withDetail("ingesting", s.running() + " since " + s.runningSince());
                if (running > safety.timeBudget().plus(safety.pollStaleAfter()).toNanos()) {
                    problems.add("delivery " + s.running() + " has run past its time budget and the poller has not come back");
                }
            } else if (guard.nanosSinceLastBeat() > safety.pollStaleAfter().toNanos()) {
                problems.add("the inbox has not been polled for " + Duration.ofNanos(guard.nanosSinceLastBeat()).toSeconds()
                        + " s (celltrial.ingest.safety.poll-stale-after = " + DeliveryGuard.human(safety.pollStaleAfter()) + ")");
            }
            if (s.abandonedAlive()) {
                health.withDetail("abandoned", s.abandoned() + " at " + s.abandonedAt());
                if (Duration.between(s.abandonedAt(), java.time.Instant.now()).compareTo(safety.abandonGrace()) > 0) {
                    problems.add("the abandoned ingest of " + s.abandoned() + " has not stopped since " + s.abandonedAt()
                            + "; new deliveries wait in the inbox (a restart ends it)");
                }
            }
        }
        List<String> low = disk.low();
        problems.addAll(low);
        health.withDetail("diskFree", disk.usable().entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() / (1024 * 1024)) + " MiB").toList());
        if (!problems.isEmpty()) {
            health.down().withDetail("problems", problems);
        }
        return health.build();
    }
}
