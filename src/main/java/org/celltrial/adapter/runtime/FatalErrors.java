package org.celltrial.adapter.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link OutOfMemoryError} anywhere ends the process at once. After one, any thread may hold half-done work (an
 * H2 commit, a delivery's transaction), and H2 itself closes the database when it meets one, so limping on risks the
 * store; a restart from the last commit does not. The JVM option {@code -XX:+ExitOnOutOfMemoryError} does the same
 * earlier and everywhere (README); this covers a JVM started without it: the uncaught-exception handler of every
 * thread, the FHIR and /api error paths and every logged throwable (frameworks that catch errors log them) call
 * {@link #haltIfOutOfMemory}. H2 reports an OutOfMemoryError it caught as error 90108, which counts too.
 */
public final class FatalErrors {

    /** Exit code of a halt after an OutOfMemoryError; the JVM uses 3 for -XX:+ExitOnOutOfMemoryError too. */
    public static final int EXIT_CODE = 3;
    static final int H2_OUT_OF_MEMORY = 90108;

    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);
    private static final AtomicBoolean HALTING = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static volatile Halter halter = code -> Runtime.getRuntime().halt(code);

    /** What ends the process; replaced in unit tests. */
    @FunctionalInterface
    public interface Halter {
        void halt(int code);
    }

    private FatalErrors() {
    }

    /** Installs the default uncaught-exception handler (once per JVM), keeping any handler set before. */
    public static void installUncaughtHandler() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            haltIfOutOfMemory(error, "uncaught in thread " + thread.getName());
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        });
    }

    /** Halts the process when {@code error} is or was caused by an OutOfMemoryError; otherwise returns. */
    public static void haltIfOutOfMemory(Throwable error, String where) {
        if (error == null || !isOutOfMemory(error)) {
            return;
        }
        if (!HALTING.compareAndSet(false, true)) {
            // another thread is halting already; do not let this one go on
            halter.halt(EXIT_CODE);
            return;
        }
        String line = "FATAL OutOfMemoryError (" + where + "): halting the process now so that no half-done work reaches "
                + "the database; restart it (set -XX:+ExitOnOutOfMemoryError and a restart policy, see README)";
        try {
            System.err.println(line);
            LOG.error(line);
        } catch (Throwable ignored) {
            // out of memory again: halt without the log line
        } finally {
            halter.halt(EXIT_CODE);
        }
    }

    /** True when the throwable, one of its causes or suppressed exceptions is an OutOfMemoryError (or H2's 90108). */
    public static boolean isOutOfMemory(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return isOutOfMemory(error, seen, 0);
    }

    private static boolean isOutOfMemory(Throwable t, Set<Throwable> seen, int depth) {
        if (t == null || depth > 32 || !seen.add(t)) {
            return false;
        }
        if (t instanceof OutOfMemoryError) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getErrorCode() == H2_OUT_OF_MEMORY && isH2(sql)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (isOutOfMemory(s, seen, depth + 1)) {
                return true;
            }
        }
        if (t instanceof SQLException sql && sql.getNextException() != null && isOutOfMemory(sql.getNextException(), seen, depth + 1)) {
            return true;
        }
        return isOutOfMemory(t.getCause(), seen, depth + 1);
    }

    private static boolean isH2(SQLException e) {
        return e.getClass().getName().startsWith("org.h2.");
    }

    /** For unit tests: what halts, and a fresh state. */
    static void setHalterForTest(Halter h) {
        halter = h;
        HALTING.set(false);
    }
}
