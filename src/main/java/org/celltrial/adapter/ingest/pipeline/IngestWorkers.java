package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.runtime.FatalErrors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The threads that validate and store subjects in parallel. A group of subjects is validated and written by one
 * thread, in its own transaction, so groups never wait for each other and both the validator and HAPI's writes use
 * all cores.
 * When one subject hits an error that ends the whole attempt (the database is down), the subjects not yet started
 * are skipped and the error is rethrown to the caller, which retries the delivery.
 */
public final class IngestWorkers implements AutoCloseable {

    private final ExecutorService pool;
    private final int threads;

    public IngestWorkers(int threads) {
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "ingest-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs every task, returns when all have finished; the first exception of a task is rethrown after that. */
    public void runAll(List<Runnable> tasks) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Future<?>> futures = new ArrayList<>(tasks.size());
        Abandonment abandonment = Abandonment.current(); // the caller's delivery attempt, checked between chunks
        for (Runnable task : tasks) {
            futures.add(pool.submit(() -> {
                if (failure.get() != null) {
                    return; // the attempt is over; the retry does this subject
                }
                try {
                    if (abandonment != null) {
                        abandonment.check();
                    }
                    task.run();
                } catch (RuntimeException e) {
                    FatalErrors.haltIfOutOfMemory(e, "ingest worker");   // e.g. H2's error 90108 wrapped by the DAO
                    failure.compareAndSet(null, e);
                } catch (Error e) {
                    FatalErrors.haltIfOutOfMemory(e, "ingest worker");
                    throw e;
                }
            }));
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                interrupted = true;
                failure.compareAndSet(null, new IllegalStateException("interrupted while subjects were being stored", e));
                futures.forEach(x -> x.cancel(false));
            } catch (ExecutionException | CancellationException e) {
                // tasks catch their own runtime exceptions; an Error ends here
                failure.compareAndSet(null, new IllegalStateException(e));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
