package org.celltrial.adapter.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores the audit trail as AuditEvents in the FHIR server's own database, off the request's thread: a request only
 * puts its {@link AccessRecord} (an ingest run its {@link IngestRunRecord}) in a bounded queue, so a slow or unavailable database never holds a request up. One
 * writer thread stores the queue in order; a failed write is tried again (the records stay queued). When the queue is
 * full (the database stalled for long under load) further records are counted as lost and the count is logged, with
 * no record content, rather than growing the heap or blocking requests.
 */
public class AuditWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int BATCH = 100;

    private final BlockingQueue<AuditRecord> queue;
    private final DaoRegistry daos;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    public AuditWriter(DaoRegistry daos, int capacity) {
        this.daos = daos;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "audit-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Never blocks. */
    public void record(AuditRecord r) {
        if (!queue.offer(r)) {
            long n = lost.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                log.warn("Audit trail: {} access record(s) lost so far, the queue of unwritten records is full", n);
            }
        }
    }

    public long written() {
        return written.get();
    }

    public long lost() {
        return lost.get();
    }

    private void run() {
        List<AuditRecord> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    AuditRecord first = queue.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                }
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the database is down or refusing: keep the batch and try again shortly
                log.warn("Audit trail: {} access record(s) not stored yet ({}); retrying", batch.size(), e.getClass().getSimpleName());
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    /** Stores and removes the batch's records one by one, so that a retry after a failure stores none twice. */
    private void store(List<AuditRecord> batch) {
        IFhirResourceDao<AuditEvent> dao = daos.getResourceDao(AuditEvent.class);
        while (!batch.isEmpty()) {
            dao.create(AuditEventFactory.toAuditEvent(batch.get(0)), new SystemRequestDetails());
            batch.remove(0);
            written.incrementAndGet();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
