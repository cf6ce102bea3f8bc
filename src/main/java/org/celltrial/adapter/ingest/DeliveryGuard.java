package org.celltrial.adapter.ingest;

import org.celltrial.adapter.runtime.FatalErrors;
import org.celltrial.adapter.ingest.pipeline.Abandonment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs each attempt to ingest a delivery on a thread of its own, within the delivery's time budget, and keeps what the
 * readiness check needs to know about the inbox poller: when it last polled, which delivery runs since when, and
 * whether an abandoned attempt is still running.
 *
 * <p>When the budget is used up the attempt is abandoned ({@link Abandonment}): the caller gets a
 * {@link Abandonment.DeliveryAbandonedException} at once (the route quarantines the delivery), and the attempt stops at
 * its next safe point. Until it has stopped, {@link #abandonedStillRunning()} is true and the poller claims nothing, so
 * no innocent delivery is timed while it waits behind the abandoned one. An {@link Error} of the attempt (a stack
 * overflow on a pathological input) fails that delivery only; the poller thread never sees it.
 */
public final class DeliveryGuard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryGuard.class);

    /** The attempt was stopped because the application is stopping: the delivery stays for the next start. */
    public static final class IngestStoppedException extends RuntimeException {
        public IngestStoppedException() {
            super("the application is stopping", null, false, false);
        }
    }

    /** An {@link Error} thrown by an attempt, passed on as an ordinary failure of that delivery. */
    public static final class AttemptCrashedException extends RuntimeException {
        public AttemptCrashedException(Error cause) {
            super(cause.getClass().getSimpleName() + " while ingesting", cause, false, false);
        }
    }

    private record Attempt(String name, Thread thread, Abandonment flag, long startNanos, Instant started) {
    }

    /** What the poller is doing, for the readiness check. */
    public record Snapshot(Instant lastPoll, String running, Instant runningSince, String abandoned, Instant abandonedAt,
                           boolean abandonedAlive) {
    }

    private final AtomicInteger seq = new AtomicInteger();
    private volatile long lastBeatNanos = System.nanoTime();
    private volatile Instant lastPoll = Instant.now();
    private volatile Attempt current;
    private volatile Attempt abandoned;
    private volatile Instant abandonedAt;
    private volatile boolean stopping;

    /** The poller started a poll. */
    public void pollStarted() {
        lastPoll = Instant.now();
        lastBeatNanos = System.nanoTime();
    }

    /** The poller finished a poll (all deliveries it found are processed). */
    public void pollFinished() {
        lastBeatNanos = System.nanoTime();
    }

    /** Nanoseconds since the poller last showed life (a poll, or the start or end of a delivery). */
    public long nanosSinceLastBeat() {
        return System.nanoTime() - lastBeatNanos;
    }

    /** Runs {@code work} as the attempt for delivery {@code name}, which must end by {@code deadlineNanos} (System.nanoTime). */
    public <T> T run(String name, long deadlineNanos, Duration budget, Callable<T> work) throws Exception {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new Abandonment.DeliveryAbandonedException(budgetExceeded(budget));
        }
        Abandonment flag = new Abandonment();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Abandonment.bind(flag);
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                Abandonment.bind(null);
            }
        }, "ingest-attempt-" + seq.incrementAndGet());
        thread.setDaemon(true);
        Attempt attempt = new Attempt(name, thread, flag, System.nanoTime(), Instant.now());
        current = attempt;
        lastBeatNanos = System.nanoTime();
        thread.start();
        try {
            return result.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (stopping) {
                throw new IngestStoppedException();
            }
            String reason = budgetExceeded(budget);
            flag.abandon(reason);
            abandoned = attempt;
            abandonedAt = Instant.now();
            log.warn("Delivery {} abandoned: {}", name, reason);
            throw new Abandonment.DeliveryAbandonedException(reason);
        } catch (InterruptedException e) {
            flag.abandon("the application is stopping");
            Thread.currentThread().interrupt();
            throw new IngestStoppedException();
        } catch (ExecutionException e) {
            if (stopping) {
                throw new IngestStoppedException(); // stopped by close(), not by the delivery: not its failure
            }
            Throwable cause = e.getCause();
            // an OutOfMemoryError ends the process, wherever the attempt met it (without -XX:+ExitOnOutOfMemoryError
            // the JVM would go on with a half-written store); other Errors fail this delivery only
            FatalErrors.haltIfOutOfMemory(cause, "ingest of a delivery");
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                log.error("Delivery {}: {} while ingesting; the delivery fails, the application goes on", name,
                        err.getClass().getSimpleName());
                throw new AttemptCrashedException(err);
            }
            throw new IllegalStateException(cause);
        } finally {
            current = null;
            lastBeatNanos = System.nanoTime();
        }
    }

    private static String budgetExceeded(Duration budget) {
        return "the delivery did not finish within its time budget of " + human(budget)
                + " (celltrial.ingest.safety.time-budget); it was abandoned";
    }

    static String human(Duration d) {
        return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }

    /** An abandoned attempt has not stopped yet: nothing new is claimed until it has. */
    public boolean abandonedStillRunning() {
        Attempt a = abandoned;
        if (a == null) {
            return false;
        }
        if (!a.thread().isAlive()) {
            abandoned = null;
            log.info("The abandoned attempt of delivery {} has stopped", a.name());
            return false;
        }
        return true;
    }

    public Snapshot snapshot() {
        Attempt c = current;
        Attempt a = abandoned;
        return new Snapshot(lastPoll, c == null ? null : c.name(), c == null ? null : c.started(),
                a == null ? null : a.name(), a == null ? null : abandonedAt, a != null && a.thread().isAlive());
    }

    /** How long the running attempt has been running, or -1 when none runs. */
    public long runningNanos() {
        Attempt c = current;
        return c == null ? -1 : System.nanoTime() - c.startNanos();
    }

    /** At shutdown: tells a running attempt to stop and gives it a few seconds to do so. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        Attempt c = current;
        if (c != null) {
            c.flag().abandon("the application is stopping");
            c.thread().join(10_000);
        }
    }
}
