package org.celltrial.adapter.guard;

import java.util.concurrent.Callable;

/**
 * Which statement timeout the database connections taken on the current thread get. A thread serving an HTTP request
 * (FHIR searches and operations run on it: HAPI 8 executes a search on the calling thread) gets the short
 * {@code celltrial.limits.statement-timeout}; every other thread (the ingest attempt and its workers, HAPI's
 * background jobs, the retention route, start-up) gets {@code celltrial.limits.background-statement-timeout}.
 * The timeout is applied when a connection is taken from the pool ({@link TimeoutDataSource}).
 */
public final class StatementTimeouts {

    private static final ThreadLocal<Boolean> REQUEST = new ThreadLocal<>();

    private StatementTimeouts() {
    }

    /** Marks the current thread as serving a request until {@link #requestEnded()}. */
    static void requestStarted() {
        REQUEST.set(Boolean.TRUE);
    }

    static void requestEnded() {
        REQUEST.remove();
    }

    /** True when connections taken now get the request timeout. */
    public static boolean requestDriven() {
        return REQUEST.get() != null;
    }

    /**
     * Runs {@code work} on this request thread with the background timeout: for admin work that is meant to take long
     * and is bounded otherwise (an online backup copies the whole database once).
     */
    public static <T> T asBackground(Callable<T> work) throws Exception {
        Boolean was = REQUEST.get();
        REQUEST.remove();
        try {
            return work.call();
        } finally {
            if (was != null) {
                REQUEST.set(was);
            }
        }
    }
}
