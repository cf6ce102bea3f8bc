package org.celltrial.adapter.ingest.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line for long deliveries, one at least every 10 s: rows read, records mapped, subjects written. Counts
 * only, never an id or a value. The stages count as they go (counting costs nothing per row); while a run is
 * {@linkplain #ticking() ticking}, one shared daemon thread asks for the line four times a second, so a stage that
 * takes long between its safe points (a slow database, a big transaction) does not silence it. The stages may also
 * call {@link #maybeLog()}: whoever asks first when a line is due logs it, once.
 */
public final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);
    /** Under 10 s by the ticker's period: a line is due every 9.5 s and asked for every 0.25 s. */
    static final long INTERVAL_NANOS = 9_500_000_000L;
    private static final long TICK_MILLIS = 250;
    private static final java.util.concurrent.ScheduledExecutorService TICKER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ingest-progress");
                t.setDaemon(true);
                return t;
            });

    private final String delivery;
    private final AtomicInteger rowsRead = new AtomicInteger();
    private final AtomicInteger recordsMapped = new AtomicInteger();
    private final AtomicInteger subjectsWritten = new AtomicInteger();
    private volatile int subjects;
    private final AtomicLong next;
    private final long intervalNanos;

    Progress(String delivery) {
        this(delivery, INTERVAL_NANOS);
    }

    Progress(String delivery, long intervalNanos) {
        this.delivery = delivery;
        this.intervalNanos = intervalNanos;
        this.next = new AtomicLong(System.nanoTime() + intervalNanos);
    }

    public void rowsRead(int n) {
        rowsRead.addAndGet(n);
    }

    public void recordsMapped(int n) {
        recordsMapped.addAndGet(n);
    }

    /** How many subjects the run is going to write (known once the records are mapped). */
    public void subjectsToWrite(int n) {
        subjects = n;
    }

    public void subjectsWritten(int n) {
        subjectsWritten.addAndGet(n);
    }

    /** The ticker asking for one run's lines; closing it stops them. */
    public interface Ticking extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts asking for the line on the ticker thread until closed: {@code try (var ticking = run.progress().ticking())}
     * around a run, so that its lines come on time whatever its stages do.
     */
    public Ticking ticking() {
        java.util.concurrent.ScheduledFuture<?> tick = TICKER.scheduleAtFixedRate(() -> {
            try {
                maybeLog();
            } catch (RuntimeException e) {
                log.warn("progress line failed: {}", e.getClass().getSimpleName());
            }
        }, TICK_MILLIS, TICK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> tick.cancel(false);
    }

    /**
     * Logs a line if the last one (or the start) is an interval ago; one thread wins when several ask at once. Returns whether
     * this call logged.
     */
    public boolean maybeLog() {
        long now = System.nanoTime();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
            log.info("Delivery {} in progress: {}", delivery, line());
            return true;
        }
        return false;
    }

    /** "12,000 rows read, 11,000 records mapped, 150 of 400 subjects written". */
    String line() {
        int total = subjects;
        return String.format(java.util.Locale.ROOT, "%,d rows read, %,d records mapped, %,d%s subjects written",
                rowsRead.get(), recordsMapped.get(), subjectsWritten.get(), total > 0 ? " of " + String.format(java.util.Locale.ROOT, "%,d", total) : "");
    }
}
