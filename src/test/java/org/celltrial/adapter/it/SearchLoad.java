package org.celltrial.adapter.it;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * Expensive FHIR searches sent without pause by a few clients (each its own loopback address, so the per-client limits
 * do not throttle the test's own progress checks) against whatever adapter process currently runs: while it ingests,
 * while it is killed, while it boots again. Counts the answers by status; a refused connection (no process, or one
 * still booting) counts as status 0.
 */
final class SearchLoad implements AutoCloseable {

    static final List<String> HEAVY = List.of(
            "/fhir/ResearchSubject?_include=ResearchSubject:individual&_include=ResearchSubject:study"
                    + "&_revinclude=Provenance:target&_count=500&_total=accurate",
            "/fhir/Observation?_count=500&_total=accurate&_sort=-date",
            "/fhir/AdverseEvent?_include=AdverseEvent:subject&_count=500&_total=accurate&_sort=date",
            "/fhir/Procedure?_revinclude=Provenance:target&_count=300");

    private final ExecutorService pool;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<Integer, Integer> statuses = new TreeMap<>();

    /** {@code port} is asked before every request: it changes with each start of the adapter. */
    SearchLoad(int clients, IntSupplier port) {
        pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            String from = "127.0.2." + (c + 1);
            int first = c;
            pool.submit(() -> {
                for (int i = first; !stop.get(); i++) {
                    int status;
                    try {
                        status = RawHttp.get(from, port.getAsInt(), HEAVY.get(i % HEAVY.size())).status();
                    } catch (IOException | RuntimeException e) {
                        status = 0;
                    }
                    count(status);
                    if (status == 0 || status == 429 || status == 503) {
                        sleep(100);
                    }
                }
            });
        }
    }

    private synchronized void count(int status) {
        statuses.merge(status, 1, Integer::sum);
    }

    synchronized Map<Integer, Integer> statuses() {
        return new TreeMap<>(statuses);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        pool.shutdownNow();
        pool.awaitTermination(3, TimeUnit.MINUTES);
    }
}
