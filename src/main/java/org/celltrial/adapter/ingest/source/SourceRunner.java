package org.celltrial.adapter.ingest.source;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs pulls: one at a time per source (a pull asked for while one runs waits for it, then runs), each recorded in
 * the state store with its outcome or error. Logs name the source and counts, never a record value or a secret.
 */
public class SourceRunner {

    private static final Logger log = LoggerFactory.getLogger(SourceRunner.class);

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, ReentrantLock> locks = new LinkedHashMap<>();
    private final SourceStateStore store;
    private final DeliveryHandover handover;

    public SourceRunner(Iterable<Source> sources, SourceStateStore store, DeliveryHandover handover) {
        for (Source s : sources) {
            this.sources.put(s.definition().id(), s);
            this.locks.put(s.definition().id(), new ReentrantLock());
        }
        this.store = store;
        this.handover = handover;
    }

    public Map<String, Source> sources() {
        return sources;
    }

    /** Pulls the source now; returns its state after the pull. */
    public SourceStateStore.State run(String id) {
        Source source = sources.get(id);
        if (source == null) {
            throw new IllegalArgumentException("no source " + id);
        }
        ReentrantLock lock = locks.get(id);
        lock.lock();
        try {
            store.runStarted(id);
            AtomicLong retries = new AtomicLong();
            try {
                Source.PullResult r = source.pull(new SourceContext(store, handover, retries));
                store.counted(id, 0, 0, retries.get());
                store.runEnded(id, r.outcome(), null);
                log.info("Source {}: {}, {} records fetched, {} deleted, {} retries{}", id, r.outcome(), r.fetched(),
                        r.deleted(), retries.get(), r.delivery() == null ? "" : ", delivery " + r.delivery());
            } catch (Exception | StackOverflowError e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt(); // the pull stops; the route's thread is being stopped
                }
                store.counted(id, 0, 0, retries.get());
                String error = describe(e);
                store.runEnded(id, "failed", error);
                log.warn("Source {}: pull failed after {} retries: {}", id, retries.get(), error);
            }
            return store.state(id);
        } finally {
            lock.unlock();
        }
    }

    /** The error as one line: its type and message (our messages carry no values or secrets), and its cause's type. */
    static String describe(Throwable e) {
        String msg = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        String cause = e.getCause() == null || e.getCause() == e ? "" : " (cause: " + e.getCause().getClass().getSimpleName() + ")";
        return e.getClass().getSimpleName() + msg + cause;
    }
}
