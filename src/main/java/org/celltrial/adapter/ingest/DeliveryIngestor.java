package org.celltrial.adapter.ingest;

import org.celltrial.adapter.profiles.ResourceValidation;
import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.celltrial.adapter.mapping.DataQualityIssue;
import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.FhirIds;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.mapping.MappingSession;
import org.celltrial.adapter.mapping.MappingSet;
import org.celltrial.adapter.mapping.RecordMappingException;
import org.celltrial.adapter.mapping.SourceRecord;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.celltrial.adapter.mapping.Translation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Turns one delivery into stored FHIR resources, record by record accountable: every source record is
 * persisted in the {@link MessageStore} as received, then mapped, validated against its profile, and stored
 * or failed with the reason. Bad records are rejected with file, row and column while the others go on.
 * Each subject's resources (with their Provenance) land in one transaction, so no subject is ever half
 * stored; resources whose source records and mapping did not change are not written again.
 */
public class DeliveryIngestor {

    private static final Logger log = LoggerFactory.getLogger(DeliveryIngestor.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MappingEngine engine;
    private final CsvDatasetReader csv = new CsvDatasetReader();
    private final SubjectWriter writer;
    private final SubjectDirectory directory;
    private final StoredResourceMerger merger;
    private final ResourceValidation validation;
    private final MessageStore store;
    private final ResourceRetirer retirer;
    private final FhirContext ctx;
    private final IngestWorkers workers;
    private final int subjectsPerTransaction;
    private final TermUseStore termUses;

    public DeliveryIngestor(MappingEngine engine, SubjectWriter writer, SubjectDirectory directory,
                            StoredResourceMerger merger, ResourceValidation validation, MessageStore store,
                            ResourceRetirer retirer, FhirContext ctx, IngestWorkers workers,
                            int subjectsPerTransaction, TermUseStore termUses) {
        this.termUses = termUses;
        this.subjectsPerTransaction = Math.max(1, subjectsPerTransaction);
        this.workers = workers;
        this.engine = engine;
        this.writer = writer;
        this.directory = directory;
        this.merger = merger;
        this.validation = validation;
        this.store = store;
        this.retirer = retirer;
        this.ctx = ctx;
    }

    /** A dataset ready to map, with the persisted identity and content hash of each of its records. */
    private record Dataset(DomainMapping mapping, String file, List<SourceRecord> records, boolean complete) {
    }

    /** Per-run bookkeeping keyed by record identity. */
    private final class Run {
        final String deliveryId;
        final String deliveryName;
        final IngestReport report;
        final Map<SourceRecord, String> recordIds = new IdentityHashMap<>();
        final Map<SourceRecord, String> hashes = new IdentityHashMap<>();
        final Map<SourceRecord, String> domains = new IdentityHashMap<>();
        final Map<SourceRecord, String> raws = new IdentityHashMap<>();
        /** Values kept as text without a code (data-quality warnings), per record. */
        final Map<SourceRecord, List<DataQualityIssue>> warnings = new IdentityHashMap<>();
        /** Written by the ingest workers concurrently. */
        final Map<SourceRecord, String> failed = Collections.synchronizedMap(new IdentityHashMap<>());

        Run(String deliveryId, String deliveryName, IngestReport report) {
            this.deliveryId = deliveryId;
            this.deliveryName = deliveryName;
            this.report = report;
        }

        void fail(SourceRecord r, String column, String reason) {
            fail(r, column, reason, null);
        }

        /** Fails a record (once) with {@code outcome} as its reason, or an OperationOutcome made from {@code reason}. */
        synchronized void fail(SourceRecord r, String column, String reason, String outcome) {
            if (failed.containsKey(r)) {
                return;
            }
            failed.put(r, outcome != null ? outcome : outcome(column == null ? reason : "column " + column + ": " + reason, r));
            report.rejectRecord(r.file(), r.row(), column, reason, raws.get(r));
        }

        /** Milliseconds since the start of the run at the end of each phase, for the log line of the delivery. */
        final Map<String, Long> timings = new LinkedHashMap<>();
        final long t0 = System.nanoTime();

        void phase(String name) {
            timings.put(name, (System.nanoTime() - t0) / 1_000_000);
        }

        synchronized void resourcesWritten(int n) {
            report.resourcesWritten(n);
        }

        String outcome(String diagnostics, SourceRecord r) {
            OperationOutcome oo = new OperationOutcome();
            oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.PROCESSING)
                    .setDiagnostics(r.file() + " row " + r.row() + ": " + diagnostics);
            return ctx.newJsonParser().encodeResourceToString(oo);
        }
    }

    public synchronized IngestReport ingest(Delivery delivery) {
        IngestReport report = new IngestReport(delivery.name());
        delivery.refused().forEach(f -> report.rejectFile(f.name(), null, f.reason(), 0)); // links, FIFOs, zip-slip...
        String deliveryId = UUID.randomUUID().toString();
        String timings;
        try {
            store.beginDelivery(deliveryId, delivery.name(), engine.mappings().version());
            Run run = new Run(deliveryId, delivery.name(), report);
            List<Dataset> datasets = read(delivery, run);
            run.phase("read");
            List<StoredRecord> received = new ArrayList<>();
            for (Dataset d : datasets) {
                for (SourceRecord r : d.records()) {
                    received.add(new StoredRecord(run.recordIds.get(r), deliveryId, r.get("STUDYID"), d.mapping().domain(),
                            r.file(), r.row(), run.hashes.get(r), Status.RECEIVED, null, run.raws.get(r)));
                }
            }
            store.received(received);
            run.phase("received");
            process(run, datasets, true);
            store.finishDelivery(deliveryId, report.hasProblems() ? "error" : "done", report.render());
            timings = run.timings.toString();
        } catch (RuntimeException e) {
            markInterrupted(deliveryId, e);
            if (isStorageUnavailable(e)) {
                throw new StorageUnavailableException("database unavailable while ingesting " + delivery.name(), e);
            }
            throw e;
        }
        log.info("Delivery {}: {} records read, {} stored, {} rejected, {} resources written; ms since start: {}; {}",
                delivery.name(), report.recordsRead(), report.recordsStored(), report.recordsRejected(),
                report.resourcesWritten(), timings, validation.stats());
        return report;
    }

    /** The attempt did not finish (the route retries the delivery as a new attempt); best effort: the DB may be down. */
    private void markInterrupted(String deliveryId, RuntimeException cause) {
        try {
            store.finishDelivery(deliveryId, "interrupted", "attempt interrupted: " + cause.getClass().getSimpleName());
        } catch (RuntimeException ignored) {
            // the next start marks attempts left in 'processing' as interrupted
        }
    }

    /** Maps and stores again the failed records of a delivery, e.g. after a mapping fix; no re-delivery needed. */
    public synchronized IngestReport reprocess(String deliveryId) {
        MessageStore.DeliverySummary summary = store.deliveries(deliveryId).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no delivery " + deliveryId));
        IngestReport report = new IngestReport(summary.name() + " (reprocessing failed records)");
        Run run = new Run(deliveryId, summary.name(), report);
        remap(run, store.records(deliveryId, Status.FAILED));
        boolean anyLeft = !store.records(deliveryId, Status.FAILED).isEmpty();
        store.finishDelivery(deliveryId, anyLeft ? "error" : "done", report.render());
        return report;
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
        IngestReport report = new IngestReport("re-coding " + variable + " values ('" + value + "') of " + refs.size() + " resources");
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
                report.note("the source records of these resources are no longer kept (celltrial.store.retention-days):"
                        + " deliver them again to re-code");
            }
            return report;
        }
        Run run = new Run(records.values().iterator().next().deliveryId(), "re-coding", report);
        remap(run, records.values());
        return report;
    }

    /** Maps stored records again (by dataset, in processing order) and writes what changed; no retirement. */
    private void remap(Run run, java.util.Collection<StoredRecord> stored) {
        Map<String, List<SourceRecord>> byFile = new TreeMap<>();
        Map<String, DomainMapping> mappingOfFile = new HashMap<>();
        for (StoredRecord s : stored) {
            DomainMapping mapping = engine.mappings().forDomain(s.domain()).orElse(null);
            Map<String, String> values = parseRaw(s.rawValues());
            if (mapping == null || values == null) {
                run.report.rejectRecord(s.file(), s.row(), null, mapping == null ? "no mapping for domain " + s.domain()
                        : "the record could not be read as CSV; deliver the file again", s.rawValues());
                continue;
            }
            SourceRecord r = new SourceRecord(s.file(), s.row(), values);
            run.recordIds.put(r, s.id());
            run.hashes.put(r, s.contentHash());
            run.domains.put(r, s.domain());
            run.raws.put(r, s.rawValues());
            byFile.computeIfAbsent(s.file(), k -> new ArrayList<>()).add(r);
            mappingOfFile.put(s.file(), mapping);
        }
        List<Dataset> datasets = new ArrayList<>();
        byFile.forEach((file, records) -> {
            datasets.add(new Dataset(mappingOfFile.get(file), file, records, false));
            run.report.dataset(file, mappingOfFile.get(file).domain(), records.size());
        });
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(a.mapping(), b.mapping()));
        process(run, datasets, false);
    }

    private List<Dataset> read(Delivery delivery, Run run) {
        IngestReport report = run.report;
        MappingSet mappings = engine.mappings();
        List<Dataset> datasets = new ArrayList<>();
        Set<String> seenDomains = new HashSet<>();
        for (DeliveryFile file : delivery.files()) {
            String name = file.name();
            if (!name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                report.note(name + ": not a .csv dataset, ignored");
                continue;
            }
            String stem = name.substring(0, name.length() - 4).toUpperCase(Locale.ROOT);
            if (!seenDomains.add(stem)) {
                report.rejectFile(name, null, "a second file for dataset " + stem + " in the same delivery", 0);
                continue;
            }
            SdtmDataset dataset;
            try {
                dataset = csv.read(stem, file);
            } catch (CsvDatasetReader.UnreadableFileException e) {
                report.rejectFile(name, null, e.getMessage(), 0);
                continue;
            }
            int rows = dataset.records().size() + dataset.problems().size();
            // split datasets (qsph.csv, qssl.csv) name their domain in the DOMAIN column
            String domain = domainOf(dataset, stem);
            DomainMapping mapping = mappings.forDataset(domain, dataset.columns()).orElse(null);
            if (mapping == null) {
                report.notMapped(name, domain, rows);
                continue;
            }
            report.dataset(name, domain, rows);
            for (SourceRecord r : dataset.records()) {
                String raw = rawJson(dataset, r);
                run.recordIds.put(r, run.deliveryId + "/" + name + "/" + r.row());
                run.hashes.put(r, FhirIds.sha256Hex(raw));
                run.domains.put(r, domain);
                run.raws.put(r, raw);
            }
            List<String> missing = mapping.missingColumns(dataset.columns());
            if (!missing.isEmpty()) {
                String reason = "required column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                        + " missing from the header row";
                report.rejectFile(name, String.join(", ", missing), reason + "; none of the file's "
                        + rows + " records were loaded", dataset.records().size());
                for (SourceRecord r : dataset.records()) {
                    run.failed.put(r, run.outcome(reason, r));
                }
            }
            for (SdtmDataset.RowProblem p : dataset.problems()) {
                report.rejectRecord(name, p.row(), null, p.message(), p.raw());
            }
            datasets.add(new Dataset(mapping, name, dataset.records(), missing.isEmpty() && dataset.problems().isEmpty()));
        }
        if (delivery.files().stream().noneMatch(f -> f.name().toLowerCase(Locale.ROOT).endsWith(".csv"))) {
            report.rejectFile(delivery.name(), null, "no SDTM datasets (*.csv) found in the delivery"
                    + " (expected files like dm.csv, pr.csv, ex.csv, ae.csv, in a folder or a .zip)", 0);
        }
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(a.mapping(), b.mapping()));
        rejectDuplicateKeys(run, datasets);
        return datasets;
    }

    /** The DOMAIN column's value when all rows agree on one, else the file name's. */
    private static String domainOf(SdtmDataset dataset, String stem) {
        if (!dataset.columns().contains("DOMAIN")) {
            return stem;
        }
        String domain = null;
        for (SourceRecord r : dataset.records()) {
            String d = r.get("DOMAIN").trim().toUpperCase(Locale.ROOT);
            if (d.isEmpty() || (domain != null && !domain.equals(d))) {
                return stem;
            }
            domain = d;
        }
        return domain == null || !domain.matches("[A-Z][A-Z0-9]{1,7}") ? stem : domain;
    }

    /**
     * Rows that share their dataset's key (mapping key {@code key}: USUBJID in DM, USUBJID and --SEQ elsewhere) would
     * overwrite each other's resources: all of them are rejected, naming the rows, and nothing is silently lost. Split
     * files of one domain share one key space.
     */
    private void rejectDuplicateKeys(Run run, List<Dataset> datasets) {
        Map<String, Map<List<String>, List<SourceRecord>>> byDomain = new HashMap<>();
        for (Dataset d : datasets) {
            List<String> key = d.mapping().recordKey();
            if (key.isEmpty()) {
                continue;
            }
            Map<List<String>, List<SourceRecord>> seen = byDomain.computeIfAbsent(d.mapping().domain(), k -> new HashMap<>());
            for (SourceRecord r : d.records()) {
                if (run.failed.containsKey(r)) {
                    continue;
                }
                List<String> values = new ArrayList<>(key.size());
                for (String c : key) {
                    values.add(Translation.key(r.get(c)));
                }
                seen.computeIfAbsent(values, k -> new ArrayList<>(1)).add(r);
            }
        }
        byDomain.forEach((domain, seen) -> seen.values().forEach(rows -> {
            if (rows.size() < 2) {
                return;
            }
            String where = rows.stream().map(SourceRecord::origin).collect(java.util.stream.Collectors.joining(", "));
            String columns = String.join(", ", datasets.stream().filter(d -> d.mapping().domain().equals(domain))
                    .findFirst().orElseThrow().mapping().recordKey());
            for (SourceRecord r : rows) {
                run.fail(r, columns, "duplicate key: " + where + " share the key (" + columns + "); none of them was stored");
            }
        }));
    }

    private void process(Run run, List<Dataset> datasets, boolean fullDelivery) {
        MappingSession session = engine.newSession(directory);
        List<String> mapped = new ArrayList<>();
        for (Dataset d : datasets) {
            for (SourceRecord record : d.records()) {
                Abandonment.checkCurrent(); // a delivery past its time budget stops here (no-op outside an attempt)
                if (run.failed.containsKey(record)) {
                    continue;
                }
                try {
                    List<DataQualityIssue> issues = session.map(d.mapping(), record);
                    mapped.add(run.recordIds.get(record));
                    if (!issues.isEmpty()) {
                        run.warnings.put(record, issues);
                    }
                } catch (RecordMappingException ex) {
                    run.fail(record, ex.column(), ex.getMessage());
                }
            }
        }
        store.status(mapped, Status.MAPPED, null, null);
        persistWarnings(run);
        run.phase("mapped");

        MappedResources out = session.result();
        Map<String, String> sourceHash = sourceHashes(run, out.all());
        Set<String> studies = new HashSet<>();
        out.all().forEach(r -> r.sources().forEach(src -> {
            if (src.get("STUDYID") != null) {
                studies.add(src.get("STUDYID"));
            }
        }));
        Map<String, String> current = store.currentHashes(studies, sourceHash.keySet());
        // a stored record's resources are all valid (one invalid resource fails its records), so this is what it produced
        Map<SourceRecord, List<String>> refsOfRecord = new IdentityHashMap<>();
        for (MappedResource r : out.all()) {
            for (SourceRecord s : r.sources()) {
                refsOfRecord.computeIfAbsent(s, k -> new ArrayList<>()).add(ref(r));
            }
        }
        Batch batch = new Batch(run, sourceHash, current, refsOfRecord);

        List<MappedResource> studyLevel = new ArrayList<>();
        Map<String, List<MappedResource>> bySubject = new LinkedHashMap<>();
        for (MappedResource r : out.all()) {
            if (r.subjectId() == null) {
                studyLevel.add(r);
            } else {
                bySubject.computeIfAbsent(r.subjectId(), k -> new ArrayList<>()).add(r);
            }
        }
        for (MappedResource r : studyLevel) {
            merger.carryOverMissingElements(r.resource());
        }
        // study-level resources (ResearchStudy) first: every subject's resources refer to them
        if (!studyLevel.isEmpty() && !validateAndWrite(batch, List.of(studyLevel))) {
            for (List<MappedResource> group : bySubject.values()) {
                group.forEach(r -> r.sources().forEach(s -> run.fail(s, null, "not stored because the study-level resources failed")));
            }
        } else {
            run.phase("study-level");
            List<List<MappedResource>> subjects = new ArrayList<>(bySubject.values());
            // a small delivery still keeps every worker busy: at most its share of the subjects per transaction
            int perTransaction = Math.max(1, Math.min(subjectsPerTransaction,
                    (subjects.size() + workers.threads() - 1) / workers.threads()));
            List<Runnable> tasks = new ArrayList<>();
            for (int from = 0; from < subjects.size(); from += perTransaction) {
                List<List<MappedResource>> chunk = subjects.subList(from, Math.min(subjects.size(), from + perTransaction));
                tasks.add(() -> validateAndWrite(batch, chunk));
            }
            workers.runAll(tasks);
        }
        run.phase("subjects");
        persistFailures(run);
        reportWarnings(run);
        if (fullDelivery) {
            retireRemovedRows(run, datasets, out);
        }
        run.phase("retired");
    }

    /** A transaction of subjects was refused and rolled back; the cause says by whom. */
    private static final class RefusedWrite extends RuntimeException {
        RefusedWrite(RuntimeException cause) {
            super(cause);
        }
    }

    /** The message store's part of a subject's transaction failed (not the FHIR server's). */
    private static final class BookkeepingFailed extends RuntimeException {
        BookkeepingFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** What the subjects of one run share; read-only while the workers run. */
    private record Batch(Run run, Map<String, String> sourceHash, Map<String, String> current,
                         Map<SourceRecord, List<String>> refsOfRecord) {
    }

    /**
     * A resource's source hash: the mapping version and the content hashes of all its source records. Equal to the
     * stored one means the resource was validated and written from exactly these inputs before.
     */
    private Map<String, String> sourceHashes(Run run, java.util.Collection<MappedResource> resources) {
        String mappingVersion = engine.mappings().version();
        Map<String, String> sourceHash = new HashMap<>();
        for (MappedResource r : resources) {
            List<String> parts = new ArrayList<>();
            for (SourceRecord s : r.sources()) {
                parts.add(run.hashes.get(s));
            }
            Collections.sort(parts);
            sourceHash.put(ref(r), FhirIds.sha256Hex(mappingVersion + "|" + String.join("|", parts)));
        }
        return sourceHash;
    }

    /**
     * Subjects (or the study-level resources) that share one database transaction: validates what is new or changed
     * in each, then writes the valid resources of all of them, with their Provenance and message-store rows, in one
     * transaction (fewer commits, statements and id lookups than one per subject). If the server refuses that
     * transaction for another reason than the database being down, each subject is written alone, so a refused subject
     * fails alone. Runs on an ingest worker, concurrently with other chunks. Returns whether every subject was stored.
     */
    private boolean validateAndWrite(Batch batch, List<List<MappedResource>> subjects) {
        Run run = batch.run();
        List<SubjectWrite> writes = new ArrayList<>();
        List<String> validated = new ArrayList<>();
        for (List<MappedResource> group : subjects) {
            List<MappedResource> valid = validate(run, group, batch.sourceHash(), batch.current());
            Set<SourceRecord> sources = Collections.newSetFromMap(new IdentityHashMap<>());
            group.forEach(r -> sources.addAll(r.sources()));
            for (SourceRecord s : sources) {
                if (!run.failed.containsKey(s)) {
                    validated.add(run.recordIds.get(s));
                }
            }
            writes.add(prepare(run, valid, sources, batch));
        }
        store.status(validated, Status.VALIDATED, null, null);
        if (writes.size() > 1) {
            try {
                write(run, writes);
                return true;
            } catch (RefusedWrite e) {
                log.info("A transaction of {} subjects was refused ({}); writing them one by one", writes.size(),
                        e.getCause().getClass().getSimpleName());
                writes.forEach(SubjectWrite::forgetAttempt);
            }
        }
        boolean all = true;
        for (SubjectWrite w : writes) {
            try {
                write(run, List.of(w));
            } catch (RefusedWrite e) {
                // the transaction rolled back: nothing of the subject is stored; say which part refused
                boolean bookkeeping = e.getCause() instanceof BookkeepingFailed;
                Throwable cause = bookkeeping ? e.getCause().getCause() : e.getCause();
                String reason = (bookkeeping ? "not stored: the message store could not record the subject's resources: "
                        : "FHIR server rejected the resources: ") + cause.getMessage();
                log.warn("Storing resources of a delivery failed ({}); the records are listed in the report",
                        cause.getClass().getSimpleName());
                w.sources().forEach(s -> run.fail(s, null, reason));
                all = false;
            }
        }
        return all;
    }

    private List<MappedResource> validate(Run run, List<MappedResource> all, Map<String, String> sourceHash,
                                          Map<String, String> current) {
        // unchanged resources were validated when they were stored: only new or changed ones are checked
        List<Resource> resources = all.stream()
                .filter(r -> !sourceHash.get(ref(r)).equals(current.get(ref(r))))
                .map(MappedResource::resource).toList();
        Map<Resource, OperationOutcome> invalid = resources.isEmpty() ? Map.of() : validation.invalid(resources);
        List<MappedResource> valid = new ArrayList<>();
        boolean subjectBroken = false;
        for (MappedResource r : all) {
            OperationOutcome oo = invalid.get(r.resource());
            if (oo == null) {
                valid.add(r);
                continue;
            }
            String issues = summarize(oo);
            String outcome = ctx.newJsonParser().encodeResourceToString(oo);
            for (SourceRecord s : r.sources()) {
                run.fail(s, null, ref(r) + " does not conform to " + profileOf(r) + ": " + issues, outcome);
            }
            subjectBroken |= r.subjectId() != null
                    && (r.resource().fhirType().equals("Patient") || r.resource().fhirType().equals("ResearchSubject"));
        }
        if (!invalid.isEmpty() && !subjectBroken) {
            failReferrersOfInvalid(run, invalid.keySet(), valid);
        }
        // a subject whose Patient or ResearchSubject is invalid cannot take the rest of its resources
        if (subjectBroken) {
            valid.forEach(r -> r.sources().forEach(s -> run.fail(s, null, "not stored: the subject's Patient/ResearchSubject is invalid")));
            valid.clear();
        }
        return valid;
    }

    /**
     * A resource that points at one not stored (an SUPP-- observation whose parent record failed its profile) would make
     * the server refuse the subject's whole transaction: it fails alone instead, naming what it points at.
     */
    private void failReferrersOfInvalid(Run run, Set<Resource> invalid, List<MappedResource> valid) {
        Set<String> missing = new HashSet<>();
        invalid.forEach(r -> missing.add(r.fhirType() + "/" + r.getIdPart()));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (java.util.Iterator<MappedResource> it = valid.iterator(); it.hasNext(); ) {
                MappedResource r = it.next();
                for (org.hl7.fhir.r4.model.Reference ref : ctx.newTerser().getAllPopulatedChildElementsOfType(r.resource(),
                        org.hl7.fhir.r4.model.Reference.class)) {
                    if (ref.getReference() != null && missing.contains(ref.getReference())) {
                        for (SourceRecord s : r.sources()) {
                            run.fail(s, null, "not stored: " + ref(r) + " refers to " + ref.getReference()
                                    + ", which was not stored (see that record's reason)");
                        }
                        missing.add(ref(r));
                        it.remove();
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    /**
     * What one subject's transaction holds: its new or changed resources, the inputs of its Provenance, the source
     * hashes of those resources and the records that end as stored.
     */
    private record SubjectWrite(List<Resource> resources, Map<List<String>, List<ProvenanceFactory.Written>> provenance,
                                List<MessageStore.ResourceState> states, List<String> stored, Map<String, String> resourcesOf,
                                Set<SourceRecord> sources, List<TermUseStore.TermUse> termUses) {

        /** A refused transaction rolled back, but HAPI had already given the resources a version: take it off again. */
        void forgetAttempt() {
            for (Resource r : resources) {
                r.setId(r.fhirType() + "/" + r.getIdPart());
                r.getMeta().setVersionId(null);
                r.getMeta().setLastUpdated(null);
            }
        }
    }

    private SubjectWrite prepare(Run run, List<MappedResource> group, Set<SourceRecord> sources, Batch batch) {
        List<Resource> toWrite = new ArrayList<>();
        // per study and subject (one subject per group; the study-level group may hold several studies)
        Map<List<String>, List<ProvenanceFactory.Written>> written = new LinkedHashMap<>();
        List<MessageStore.ResourceState> states = new ArrayList<>();
        List<TermUseStore.TermUse> uses = new ArrayList<>();
        for (MappedResource r : group) {
            String ref = ref(r);
            String hash = batch.sourceHash().get(ref);
            if (hash.equals(batch.current().get(ref))) {
                continue; // same source records, same mapping: nothing to write
            }
            SourceRecord first = r.sources().get(0);
            String studyId = first.get("STUDYID");
            toWrite.add(r.resource());
            written.computeIfAbsent(java.util.Arrays.asList(studyId, r.subjectId()), k -> new ArrayList<>())
                    .add(new ProvenanceFactory.Written(r.resource(), r.sources()));
            states.add(new MessageStore.ResourceState(ref, studyId, run.domains.get(first), hash, run.deliveryId));
            for (DataQualityIssue i : r.issues()) {
                uses.add(new TermUseStore.TermUse(ref, studyId, i.variable(), i.valueKey(), i.value(), i.translation(),
                        i.element(), run.deliveryId));
            }
        }
        List<String> stored = new ArrayList<>();
        Map<String, String> resourcesOf = new HashMap<>();
        for (SourceRecord s : sources) {
            if (!run.failed.containsKey(s)) {
                String id = run.recordIds.get(s);
                stored.add(id);
                resourcesOf.put(id, String.join(",", batch.refsOfRecord().getOrDefault(s, List.of())));
            }
        }
        return new SubjectWrite(toWrite, written, states, stored, resourcesOf, sources, uses);
    }

    /**
     * Writes subjects in one transaction: their resources, each subject's Provenance (its entries for resources not
     * rewritten stay, those of the rewritten ones are replaced), and the source hashes and record statuses, which
     * commit with the resources, so a crash leaves all or nothing.
     *
     * @throws RefusedWrite if the server or the message store refused it (rolled back)
     * @throws StorageUnavailableException if the database is unavailable (the route retries the whole delivery)
     */
    private void write(Run run, List<SubjectWrite> writes) {
        List<Resource> resources = new ArrayList<>();
        List<SubjectWriter.Derived> provenances = new ArrayList<>();
        List<MessageStore.ResourceState> states = new ArrayList<>();
        List<String> stored = new ArrayList<>();
        Map<String, String> resourcesOf = new HashMap<>();
        List<TermUseStore.TermUse> uses = new ArrayList<>();
        for (SubjectWrite w : writes) {
            uses.addAll(w.termUses());
            resources.addAll(w.resources());
            w.provenance().forEach((key, list) -> {
                String provenanceId = ProvenanceFactory.idFor(key.get(0), key.get(1));
                provenances.add(new SubjectWriter.Derived("Provenance", provenanceId, current -> ProvenanceFactory.merge(
                        (org.hl7.fhir.r4.model.Provenance) current, provenanceId, list, key.get(0), run.deliveryName,
                        engine.mappings().version(), run.hashes::get, run.domains::get)));
            });
            states.addAll(w.states());
            stored.addAll(w.stored());
            resourcesOf.putAll(w.resourcesOf());
        }
        Runnable bookkeeping = () -> {
            try {
                store.putResources(states);
                termUses.replace(states.stream().map(MessageStore.ResourceState::ref).toList(), uses);
                store.status(stored, Status.STORED, null, resourcesOf);
            } catch (RuntimeException e) {
                throw new BookkeepingFailed(e);
            }
        };
        try {
            // with nothing new to write (an unchanged re-delivery) this commits just the bookkeeping
            writer.write(resources, provenances, bookkeeping);
            run.resourcesWritten(resources.size());
        } catch (RuntimeException e) {
            if (isStorageUnavailable(e)) {
                // transactions never leave a subject half stored
                throw new StorageUnavailableException("FHIR storage unavailable", e);
            }
            throw new RefusedWrite(e);
        }
    }

    /** Warnings go to the message store now; to the report only for records that end up stored. */
    private void persistWarnings(Run run) {
        Map<String, String> byId = new HashMap<>();
        run.warnings.forEach((r, issues) -> {
            try {
                byId.put(run.recordIds.get(r), JSON.writeValueAsString(issues));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        store.warnings(byId);
    }

    private void reportWarnings(Run run) {
        run.warnings.forEach((r, issues) -> {
            if (!run.failed.containsKey(r)) {
                for (DataQualityIssue i : issues) {
                    run.report.untranslated(r.file(), r.row(), i.variable(), i.value(), i.translation());
                }
            }
        });
    }

    private void persistFailures(Run run) {
        Map<String, String> reasons = new HashMap<>();
        run.failed.forEach((r, oo) -> {
            String id = run.recordIds.get(r);
            if (id != null) {
                reasons.put(id, oo);
            }
        });
        store.status(reasons.keySet(), Status.FAILED, reasons, null);
    }

    /**
     * Removed-row policy: a re-delivered, complete dataset that no longer has a row retires what that row had
     * produced (see {@link ResourceRetirer}). Datasets with any rejected record retire nothing, so a typo in a
     * key column can never remove data.
     */
    private void retireRemovedRows(Run run, List<Dataset> datasets, MappedResources out) {
        // the files of a split dataset (qsph.csv, qssl.csv) are one domain: retired only when all are complete
        Map<String, List<Dataset>> byDomain = new LinkedHashMap<>();
        datasets.forEach(d -> byDomain.computeIfAbsent(d.mapping().domain(), k -> new ArrayList<>()).add(d));
        for (List<Dataset> parts : byDomain.values()) {
            Dataset d = parts.get(0);
            if (parts.stream().anyMatch(p -> !p.complete() || p.records().stream().anyMatch(run.failed::containsKey))
                    || d.mapping().studyLevel()) {
                continue;
            }
            Set<String> studies = new HashSet<>();
            Set<String> produced = new HashSet<>();
            Set<SourceRecord> rows = Collections.newSetFromMap(new IdentityHashMap<>());
            parts.forEach(p -> rows.addAll(p.records()));
            rows.forEach(r -> studies.add(r.get("STUDYID")));
            for (MappedResource r : out.all()) {
                if (r.sources().stream().anyMatch(rows::contains)) {
                    produced.add(ref(r));
                }
            }
            for (String study : studies) {
                List<String> removed = new ArrayList<>(store.currentResources(study, d.mapping().domain()));
                removed.removeAll(produced);
                if (removed.isEmpty()) {
                    continue;
                }
                Map<ResourceRetirer.Outcome, Integer> counts = new TreeMap<>();
                List<String> retired = new ArrayList<>();
                for (String ref : removed) {
                    ResourceRetirer.Outcome o = retirer.retire(ref);
                    counts.merge(o, 1, Integer::sum);
                    if (o != ResourceRetirer.Outcome.REFUSED) {
                        retired.add(ref);
                    }
                }
                store.retired(retired);
                termUses.retired(retired);
                run.report.note(d.file() + ": " + removed.size() + " resource(s) of study " + study
                        + " no longer have a source row and were retired " + counts);
            }
        }
    }

    private static String ref(MappedResource r) {
        return r.resource().fhirType() + "/" + r.resource().getIdPart();
    }

    private static String profileOf(MappedResource r) {
        return r.resource().getMeta().hasProfile() ? r.resource().getMeta().getProfile().get(0).getValue()
                : "the base " + r.resource().fhirType();
    }

    private static String summarize(OperationOutcome oo) {
        List<String> parts = new ArrayList<>();
        for (OperationOutcome.OperationOutcomeIssueComponent i : oo.getIssue()) {
            if (i.getSeverity() == OperationOutcome.IssueSeverity.ERROR || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL) {
                String where = i.hasExpression() ? i.getExpression().get(0).getValue() + ": " : "";
                parts.add(where + i.getDiagnostics());
            }
        }
        return String.join("; ", parts);
    }

    private static String rawJson(SdtmDataset dataset, SourceRecord r) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String c : dataset.columns()) {
            values.put(c, r.get(c));
        }
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parseRaw(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return JSON.readValue(raw, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The database is down or briefly refused (a deadlock or lock timeout between two transactions, however HAPI or
     * Spring wrapped it): the delivery is retried as a whole, which re-delivery makes safe, rather than its subjects
     * failed.
     */
    static boolean isStorageUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("40001") || sql.getSQLState().equals("40P01"))) {
                return true; // serialization failure, deadlock
            }
            if (t instanceof jakarta.persistence.PessimisticLockException || t instanceof jakarta.persistence.LockTimeoutException
                    || t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.net.ConnectException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof org.springframework.dao.TransientDataAccessException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException) {
                return true;
            }
        }
        return false;
    }
}
