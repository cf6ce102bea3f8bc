package org.celltrial.adapter.ingest.pipeline;

/**
 * The flag that tells an attempt to ingest a delivery to stop: set by the delivery guard (ingest's {@code DeliveryGuard}) when the delivery has used
 * up its time budget. The attempt's thread and the ingest workers it hands subjects to check it at safe points (between
 * rows of a file, between chunks of subjects, between buffers of a zip), never inside a database write, and stop there
 * with {@link DeliveryAbandonedException}. Threads are never interrupted: an interrupt inside the embedded database's
 * file I/O could close the database.
 */
public final class Abandonment {

    private static final ThreadLocal<Abandonment> CURRENT = new ThreadLocal<>();

    private volatile String reason;

    /** The flag of the attempt running on this thread, or {@code null} outside an attempt. */
    public static Abandonment current() {
        return CURRENT.get();
    }

    /** Throws if the attempt running on this thread has been abandoned; does nothing outside an attempt. */
    public static void checkCurrent() {
        Abandonment a = CURRENT.get();
        if (a != null) {
            a.check();
        }
    }

    /** Binds the flag of the attempt starting on this thread (null: the attempt ended); the delivery guard's. */
    public static void bind(Abandonment a) {
        if (a == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(a);
        }
    }

    /** Tells the attempt to stop at its next safe point; the delivery guard's, when the budget is used up. */
    public void abandon(String why) {
        this.reason = why;
    }

    public boolean abandoned() {
        return reason != null;
    }

    public void check() {
        String r = reason;
        if (r != null) {
            throw new DeliveryAbandonedException(r);
        }
    }

    /** The attempt was abandoned (time budget used up); it stops and its delivery is quarantined. */
    public static final class DeliveryAbandonedException extends RuntimeException {
        public DeliveryAbandonedException(String message) {
            super(message, null, false, false);
        }
    }
}
