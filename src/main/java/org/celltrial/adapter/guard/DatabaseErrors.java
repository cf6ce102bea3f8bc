package org.celltrial.adapter.guard;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/** Classifies a failure by what the database did: busy (no pooled connection in time), unreachable, or closed. */
public final class DatabaseErrors {

    /** H2 error codes meaning the embedded database was closed under the running process. */
    static final Set<Integer> H2_CLOSED = Set.of(
            90098,  // DATABASE_IS_CLOSED
            90121,  // DATABASE_CALLED_AT_SHUTDOWN
            90108,  // OUT_OF_MEMORY (H2 closes the database after it)
            90030,  // FILE_CORRUPTED_1
            90067); // CONNECTION_BROKEN_1

    /** SQL state of a cancelled statement, on PostgreSQL and H2 alike. */
    static final String TIMEOUT_STATE = "57014";

    /**
     * The databases' own texts for a statement cancelled by its timeout. HAPI runs a search as a task that records a
     * failure as text and then throws a new exception without the cause, so a timed-out search is known by its text.
     */
    static final java.util.regex.Pattern TIMEOUT_TEXT = java.util.regex.Pattern.compile(
            "canceling statement due to statement timeout|Statement was canceled or the session timed out");

    public enum Kind {
        /** the pool had no connection within its timeout: the server is overloaded */
        BUSY,
        /** the database cannot be reached (network, server down, refused login) */
        UNREACHABLE,
        /** H2 closed the embedded database (after a fatal error): the process must be restarted */
        CLOSED,
        /** a statement ran past its statement timeout and was cancelled by the database (SQL state 57014) */
        TIMEOUT,
        /** anything else (not a database availability problem) */
        OTHER
    }

    private DatabaseErrors() {
    }

    public static Kind classify(Throwable error) {
        boolean busy = false;
        boolean unreachable = false;
        int depth = 0;
        for (Throwable t = error; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t.getClass() == SQLTransientConnectionException.class && String.valueOf(t.getMessage()).contains("Connection is not available")) {
                busy = true;   // HikariCP: "Connection is not available, request timed out after 3000ms"
            }
            if (t.getMessage() != null && TIMEOUT_TEXT.matcher(t.getMessage()).find()) {
                return Kind.TIMEOUT;
            }
            if (t instanceof SQLException sql) {
                if (sql.getClass().getName().startsWith("org.h2.") && H2_CLOSED.contains(sql.getErrorCode())) {
                    return Kind.CLOSED;
                }
                String state = sql.getSQLState();
                if (TIMEOUT_STATE.equals(state)) {
                    return Kind.TIMEOUT;   // PostgreSQL "canceling statement due to statement timeout", H2 error 57014
                }
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03"))) {
                    unreachable = true;   // connection exceptions; PostgreSQL shutting down / not accepting connections
                }
            }
            if (t instanceof ConnectException) {
                unreachable = true;
            }
        }
        // a pool timeout caused by failing connection attempts is an unreachable database, not a busy one
        return unreachable ? Kind.UNREACHABLE : busy ? Kind.BUSY : Kind.OTHER;
    }

    /** Class, SQL state and error code of the deepest SQL exception (no message: it may quote values). */
    public static String describe(Throwable error) {
        SQLException deepest = null;
        Throwable last = error;
        int depth = 0;
        for (Throwable t = error; t != null && depth < 32; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (t instanceof SQLException sql) {
                deepest = sql;
            }
            last = t;
        }
        if (deepest != null) {
            return deepest.getClass().getSimpleName() + " (SQL state " + deepest.getSQLState() + ", error " + deepest.getErrorCode() + ")";
        }
        return last.getClass().getSimpleName();
    }
}
