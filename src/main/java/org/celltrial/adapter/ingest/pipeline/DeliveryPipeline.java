package org.celltrial.adapter.ingest.pipeline;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.DeliveryOutcome;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.profiles.ResourceValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns one delivery into stored FHIR resources, record by record accountable, through named stages over one
 * {@link RecordState} per source record:
 * <ol>
 *   <li>read ({@link ReadStage}): each file by the {@code DatasetReader} of its format, into datasets matched to
 *       their mappings;</li>
 *   <li>check keys ({@link KeyCheckStage}): rows sharing their dataset's key are all rejected;</li>
 *   <li>record as received ({@link ReceiveStage}): every record into the message store;</li>
 *   <li>map ({@link MapStage}): record by record into the delivery's resources;</li>
 *   <li>validate ({@link ValidateStage}) and write subjects ({@link WriteStage}), the study-level resources first, then
 *       a chunk of subjects at a time on the ingest workers ({@link SubjectStage});</li>
 *   <li>retire removed rows ({@link RetireStage});</li>
 *   <li>report ({@link ReportStage}): failures and warnings to the store and the report, the delivery's outcome;</li>
 *   <li>groups ({@link org.celltrial.adapter.ingest.fhir.StudyGroups}): each study's Group (for Bulk Data
 *       {@code Group/[id]/$export}) follows its ResearchSubjects, written only if its members changed.</li>
 * </ol>
 * Bad records are rejected with file, row and column while the others go on. Each subject's resources, with their
 * Provenance and their records' statuses, land in one transaction, so no subject is ever half stored; resources whose
 * source records and mapping did not change are not written again. A reprocess (failed records after a mapping fix)
 * and a re-coding (stored resources after a new translation) take their records from the message store
 * ({@link StoredRecordsStage}) instead of reading files and run the same map, validate, write and report stages; they
 * retire nothing.
 *
 * <p><b>Memory.</b> A delivery smaller than {@code celltrial.ingest.stream-above-bytes} (64 MiB of files by default) is
 * held in memory from the read stage until its report, records and resources, as above: that is a little faster.
 * A bigger one is streamed ({@link StreamedDelivery}), so that the heap does not grow with its rows:
 * <ol>
 *   <li>read ({@link ReadStage#scan}): each file read once for the decisions about whole files (unreadable, one file
 *       per dataset, DOMAIN of a split dataset, mapping, missing columns), keeping no row;</li>
 *   <li>record as received ({@link StreamedReceiveStage}): the rows read again, straight into the message store in
 *       chunks of 5,000, each with its subject key (the mapping's subject id) in column {@code subject_key}, indexed
 *       with the delivery; per dataset only a summary stays ({@link DatasetSummary}), per row a 128-bit hash of its
 *       key ({@link KeyHashes}): rows whose hashes meet are read back and failed as duplicates if their keys are
 *       equal;</li>
 *   <li>the study session: the records without a subject (TS, trial design, RELREC's dataset-level rows) and the
 *       subject-defining ones (DM, which adds to the ResearchStudy), read back and mapped in one session; its
 *       study-level resources are validated and written first, as on the in-memory path;</li>
 *   <li>subjects: {@code celltrial.ingest.subjects-per-chunk} (200) at a time in subject-key order, their records read
 *       back by the index (one query per chunk), mapped in a session of their own, validated and written by the
 *       {@link SubjectStage} on the ingest workers, their failures and warnings reported; then dropped. SUPP-- and
 *       RELREC rows belong to their subject's chunk, so they find their parents in the session, or stored;</li>
 *   <li>retire and report from the summaries and the store: which domains had a failed record, and what the stored
 *       records produced (read a page at a time, kept as 128-bit hashes).</li>
 * </ol>
 * What stays in memory: the datasets' summaries, 24 bytes a row for the key check, the study session (one DM record a
 * subject, with its Patient and ResearchSubject: the ResearchStudy is built from all of them), one chunk of subjects,
 * and the report (which quotes each rejected record). The cost: each file is read twice and each record read back once
 * from the store, and DM mapped twice (docs/benchmarks.md, "Big deliveries").
 *
 * <p>Long deliveries log a progress line (rows read, records mapped, subjects written; counts only) at least every
 * 10 s while rows are read, records mapped or subjects written ({@link Progress}).
 */
public class DeliveryPipeline {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPipeline.class);

    private final MappingEngine engine;
    private final MessageStore store;
    private final TermUseStore termUses;
    private final FhirContext ctx;
    private final ReadStage read;
    private final KeyCheckStage keys = new KeyCheckStage();
    private final ReceiveStage receive;
    private final MapStage map;
    private final SubjectStage subjects;
    private final RetireStage retire;
    private final ReportStage report;
    private final StoredRecordsStage storedRecords = new StoredRecordsStage();
    /** For the validator's counters in the log line of a delivery (e.g. how many validations were reused). */
    private final ResourceValidation validation;

    /** Deliveries whose files add up to at least this many bytes take the streamed path; 0: every delivery. */
    private final long streamAboveBytes;
    private final StreamedDelivery streamed;
    /** Keeps each study's Group (Bulk Data Group export) in step with its subjects; null: no Groups (unit tests). */
    private volatile org.celltrial.adapter.ingest.fhir.StudyGroups studyGroups;
    /** What the last streamed delivery held at once (its counters, checked by a test); null before one. */
    private volatile StreamedDelivery.Held lastHeld;
    /** Told of every run as it ends (the audit trail). */
    private final List<IngestRunListener> runListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public DeliveryPipeline(MappingEngine engine, MessageStore store, TermUseStore termUses, FhirContext ctx,
                            ReadStage read, MapStage map, SubjectStage subjects, RetireStage retire,
                            ResourceValidation validation) {
        this(engine, store, termUses, ctx, read, map, subjects, retire, validation, Long.MAX_VALUE, 200);
    }

    /**
     * @param streamAboveBytes deliveries this big or bigger (their files' bytes) are streamed; 0: all
     * @param subjectsPerChunk subjects mapped and held at once by the streamed path
     */
    public DeliveryPipeline(MappingEngine engine, MessageStore store, TermUseStore termUses, FhirContext ctx,
                            ReadStage read, MapStage map, SubjectStage subjects, RetireStage retire,
                            ResourceValidation validation, long streamAboveBytes, int subjectsPerChunk) {
        this.engine = engine;
        this.store = store;
        this.termUses = termUses;
        this.ctx = ctx;
        this.read = read;
        this.receive = new ReceiveStage(store);
        this.map = map;
        this.subjects = subjects;
        this.retire = retire;
        this.report = new ReportStage(store);
        this.validation = validation;
        this.streamAboveBytes = streamAboveBytes;
        this.streamed = new StreamedDelivery(read, store, map, subjects, retire, report, subjectsPerChunk);
    }

    /** Whether a delivery is big enough to stream: its dataset files' bytes (decompressed, as spooled). */
    boolean streams(Delivery delivery) {
        long bytes = 0;
        for (DeliveryFile f : delivery.files()) {
            bytes += f.size();
        }
        return bytes >= streamAboveBytes;
    }

    /** The last stage of a delivery or reprocess: each study's Group follows its ResearchSubjects (written if changed). */
    public void setStudyGroups(org.celltrial.adapter.ingest.fhir.StudyGroups studyGroups) {
        this.studyGroups = studyGroups;
    }

    /** Stage "groups": after the subjects are written and removed rows retired, on both paths. */
    private void syncStudyGroups(DeliveryRun run) {
        if (studyGroups != null) {
            int written = studyGroups.syncAll();
            run.stageDone("groups");
            if (written > 0) {
                log.info("Delivery {}: {} study groups updated", run.deliveryName(), written);
            }
        }
    }

    /** Tells {@code listener} of every run (delivery, reprocess, re-coding) as it ends. */
    public void addRunListener(IngestRunListener listener) {
        runListeners.add(listener);
    }

    private void ended(IngestRun.Kind kind, String deliveryId, IngestReport report, java.time.Instant started,
                       RuntimeException failure) {
        IngestRun run = IngestRun.of(kind, deliveryId, report, started, failure);
        for (IngestRunListener l : runListeners) {
            try {
                l.ended(run);
            } catch (RuntimeException e) {
                log.warn("An ingest run listener failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    /** What the last streamed delivery held at once; null if none was streamed. */
    public StreamedDelivery.Held lastHeld() {
        return lastHeld;
    }

    public synchronized IngestReport ingest(Delivery delivery) {
        IngestReport ingestReport = new IngestReport(delivery.name());
        delivery.refused().forEach(f -> ingestReport.rejectFile(f.name(), null, f.reason(), 0)); // links, FIFOs, zip-slip...
        DeliveryRun run = new DeliveryRun(UUID.randomUUID().toString(), delivery.name(), engine.mappings(), ingestReport, ctx);
        java.time.Instant started = java.time.Instant.now();
        try (Progress.Ticking ticking = run.progress().ticking()) {
            store.beginDelivery(run.deliveryId(), delivery.name(), run.mappingVersion());
            if (streams(delivery)) {
                StreamedDelivery.Held held = streamed.ingest(delivery, run);
                lastHeld = held;
                log.info("Delivery {} streamed: at most {} subjects ({} records) held at once, in {} chunks; study session {} records",
                        delivery.name(), held.maxSubjects(), held.maxRecords(), held.chunks(), held.studySessionRecords());
            } else {
                List<MappableDataset> datasets = read.read(delivery, run);
                keys.rejectDuplicateKeys(datasets, run);
                run.stageDone("read");
                receive.receive(datasets, run);
                run.stageDone("received");
                process(datasets, run, true);
            }
            syncStudyGroups(run);
            report.finish(run);
        } catch (RuntimeException e) {
            ended(IngestRun.Kind.DELIVERY, run.deliveryId(), ingestReport, started, e);
            markInterrupted(run.deliveryId(), e);
            if (StorageUnavailableException.isCause(e)) {
                throw new StorageUnavailableException("database unavailable while ingesting " + delivery.name(), e);
            }
            throw e;
        }
        log.info("Delivery {}: {} records read, {} stored, {} rejected, {} resources written; ms since start: {}; {}",
                delivery.name(), ingestReport.recordsRead(), ingestReport.recordsStored(), ingestReport.recordsRejected(),
                ingestReport.resourcesWritten(), run.timings(), validation.stats());
        ended(IngestRun.Kind.DELIVERY, run.deliveryId(), ingestReport, started, null);
        return ingestReport;
    }

    /** Map, validate, write, retire (whole deliveries only), report. */
    private void process(List<MappableDataset> datasets, DeliveryRun run, boolean wholeDelivery) {
        MappedResources out = map.map(datasets, run);
        run.stageDone("mapped");
        subjects.validateAndWrite(out, run);
        run.stageDone("subjects");
        report.report(datasets, run);
        if (wholeDelivery) {
            retire.retireRemovedRows(datasets, run);
        }
        run.stageDone("retired");
    }

    /** The attempt did not finish (the route retries the delivery as a new attempt); best effort: the DB may be down. */
    private void markInterrupted(String deliveryId, RuntimeException cause) {
        try {
            store.finishDelivery(deliveryId, DeliveryOutcome.INTERRUPTED, "attempt interrupted: " + cause.getClass().getSimpleName());
        } catch (RuntimeException ignored) {
            // the next start marks attempts left in 'processing' as interrupted
        }
    }

    /** Maps and stores again the failed records of a delivery, e.g. after a mapping fix; no re-delivery needed. */
    public synchronized IngestReport reprocess(String deliveryId) {
        MessageStore.DeliverySummary summary = store.deliveries(deliveryId).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
        IngestReport ingestReport = new IngestReport(summary.name() + " (reprocessing failed records)");
        DeliveryRun run = new DeliveryRun(deliveryId, summary.name(), engine.mappings(), ingestReport, ctx);
        java.time.Instant started = java.time.Instant.now();
        try (Progress.Ticking ticking = run.progress().ticking()) {
            remap(store.records(deliveryId, Status.FAILED), run);
            syncStudyGroups(run);
            report.finishReprocess(run);
        } catch (RuntimeException e) {
            ended(IngestRun.Kind.REPROCESS, deliveryId, ingestReport, started, e);
            throw e;
        }
        ended(IngestRun.Kind.REPROCESS, deliveryId, ingestReport, started, null);
        return ingestReport;
    }

    /**
     * Re-codes the stored resources that carry an untranslated value, after a curator added its translation to
     * mappings/terminology/ and reloaded: their source records, kept in the message store, are mapped again and the
     * changed resources written as new versions with their Provenance (nothing is re-delivered). Every record of
     * the delivery that last wrote such a resource and produced it is mapped again, so a resource built from several
     * records (the ResearchStudy from TS and DM) is rebuilt whole.
     *
     * @param translation the ConceptMap url (or inline table name) to narrow it to, or null for any
     */
    public synchronized IngestReport recode(String variable, String value, String translation) {
        List<String> refs = termUses.resourcesCarrying(variable, value, translation);
        IngestReport ingestReport = new IngestReport("re-coding " + variable + " values ('" + value + "') of " + refs.size() + " resources");
        Map<String, StoredRecord> records = new LinkedHashMap<>();
        for (String ref : refs) {
            String deliveryId = store.deliveryOf(ref).orElse(null);
            if (deliveryId == null) {
                continue;
            }
            for (StoredRecord r : store.storedRecordsOf(deliveryId, ref)) {
                records.putIfAbsent(r.id(), r);
            }
        }
        if (records.isEmpty()) {
            if (!refs.isEmpty()) {
                ingestReport.note("the source records of these resources are no longer kept (celltrial.store.retention-days):"
                        + " deliver them again to re-code");
            }
            return ingestReport;
        }
        DeliveryRun run = new DeliveryRun(records.values().iterator().next().deliveryId(), "re-coding", engine.mappings(),
                ingestReport, ctx);
        java.time.Instant started = java.time.Instant.now();
        try {
            remap(records.values(), run);
        } catch (RuntimeException e) {
            ended(IngestRun.Kind.RECODE, run.deliveryId(), ingestReport, started, e);
            throw e;
        }
        ended(IngestRun.Kind.RECODE, run.deliveryId(), ingestReport, started, null);
        return ingestReport;
    }

    /** Maps stored records again (by dataset, in processing order) and writes what changed; no retirement. */
    private void remap(Collection<StoredRecord> stored, DeliveryRun run) {
        process(storedRecords.datasets(stored, run), run, false);
    }
}
