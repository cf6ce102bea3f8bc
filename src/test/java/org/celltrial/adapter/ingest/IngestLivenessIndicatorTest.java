package org.celltrial.adapter.ingest;

import org.celltrial.adapter.ingest.pipeline.Abandonment;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Liveness of the ingest with a real {@link DeliveryGuard} and real threads: an attempt stuck where it cannot see that
 * it was abandoned (it waits on a latch, as a database call that never returns would), and a poller that stopped
 * polling.
 */
class IngestLivenessIndicatorTest {

    private static final Duration BUDGET = Duration.ofMillis(200);
    private static final Duration RESTART_AFTER = Duration.ofMillis(500);

    @Test
    void anAbandonedAttemptThatDoesNotStopMakesLivenessDownUntilItStops() throws Exception {
        DeliveryGuard guard = new DeliveryGuard();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        assertThatThrownBy(() -> guard.run("stuck", System.nanoTime() + BUDGET.toNanos(), BUDGET, () -> {
            entered.countDown();
            release.await();   // never checks Abandonment: stuck like a statement that does not return
            return null;
        })).isInstanceOf(Abandonment.DeliveryAbandonedException.class);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        guard.pollStarted();

        assertThat(IngestLivenessIndicator.problems(guard, BUDGET, RESTART_AFTER, Instant.now())).as("just abandoned").isEmpty();
        Thread.sleep(RESTART_AFTER.toMillis() + 100);
        guard.pollStarted();   // the poller itself goes on polling (and claims nothing)
        assertThat(IngestLivenessIndicator.problems(guard, BUDGET, RESTART_AFTER, Instant.now()))
                .singleElement().asString().contains("abandoned ingest").contains("has not stopped");

        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (guard.snapshot().abandonedAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(guard.abandonedStillRunning()).isFalse();
        assertThat(IngestLivenessIndicator.problems(guard, BUDGET, RESTART_AFTER, Instant.now())).as("after it stopped").isEmpty();
    }

    @Test
    void aPollerThatStopsPollingMakesLivenessDown() throws Exception {
        DeliveryGuard guard = new DeliveryGuard();
        guard.pollStarted();
        guard.pollFinished();
        assertThat(IngestLivenessIndicator.problems(guard, BUDGET, RESTART_AFTER, Instant.now())).isEmpty();
        Thread.sleep(RESTART_AFTER.toMillis() + 100);
        assertThat(IngestLivenessIndicator.problems(guard, BUDGET, RESTART_AFTER, Instant.now()))
                .singleElement().asString().contains("has not been polled");
        guard.pollStarted();
        assertThat(IngestLivenessIndicator.problems(guard, BUDGET, RESTART_AFTER, Instant.now())).isEmpty();
    }

    @Test
    void anAttemptWithinItsBudgetIsAliveHoweverLongThePollerWaitsForIt() throws Exception {
        DeliveryGuard guard = new DeliveryGuard();
        Duration budget = Duration.ofSeconds(30);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService poller = Executors.newSingleThreadExecutor();
        try {
            Future<Object> attempt = poller.submit(() -> guard.run("slow", System.nanoTime() + budget.toNanos(), budget, () -> {
                release.await();
                return "done";
            }));
            Thread.sleep(RESTART_AFTER.toMillis() + 100);   // longer than restart-after, well within the budget
            assertThat(guard.runningNanos()).isPositive();
            assertThat(IngestLivenessIndicator.problems(guard, budget, RESTART_AFTER, Instant.now())).isEmpty();
            release.countDown();
            assertThat(attempt.get(5, TimeUnit.SECONDS)).isEqualTo("done");
        } finally {
            poller.shutdownNow();
        }
    }
}
