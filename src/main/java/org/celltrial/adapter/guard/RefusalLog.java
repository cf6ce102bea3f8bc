package org.celltrial.adapter.guard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per refused request (413, 429, 503, 4xx of FHIR and /api), never a stack trace, and at most one line
 * per second for each kind of refusal: a client hammering the server cannot flood the log. A line after a quiet spell
 * says how many refusals of its kind were not logged.
 */
public final class RefusalLog {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /**
     * @param kind    what the rate limit of lines is kept for (e.g. "429 client rate")
     * @param line    the line; must carry no ids or values (it is scrubbed again anyway)
     * @param warning WARN instead of INFO (server-side trouble such as a busy database)
     */
    public void log(String kind, String line, boolean warning) {
        if (slots.size() > 1000) {
            slots.clear();
        }
        Slot slot = slots.computeIfAbsent(kind, k -> new Slot());
        long now = System.nanoTime();
        long last = slot.lastLogged.get();
        if (last != 0 && now - last < INTERVAL_NANOS || !slot.lastLogged.compareAndSet(last, now)) {
            slot.suppressed.incrementAndGet();
            return;
        }
        long suppressed = slot.suppressed.getAndSet(0);
        String text = suppressed > 0 ? line + " (and " + suppressed + " more like it not logged)" : line;
        if (warning) {
            LOG.warn(text);
        } else {
            LOG.info(text);
        }
    }

    private static final class Slot {
        final AtomicLong lastLogged = new AtomicLong();
        final AtomicLong suppressed = new AtomicLong();
    }
}
