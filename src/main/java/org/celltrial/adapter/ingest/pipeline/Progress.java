package org.celltrial.adapter.ingest.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line for long deliveries, at most one every 10 s: rows read, records mapped, subjects written. Counts
 * only, never an id or a value. The stages count as they go and call {@link #maybeLog()} at their safe points; the
 * clock is read there only (every 1,024 rows, after each transaction of subjects), so counting costs nothing per row.
 */
public final class Progress {

    private static final Logger log = LoggerFactory.getLogger(Progress.class);
    static final long INTERVAL_NANOS = 10_000_000_000L;

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

    /**
     * Logs a line if the last one (or the start) is 10 s ago; one thread wins when several ask at once. Returns whether
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
