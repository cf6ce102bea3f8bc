package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.pipeline.ReadStage.DatasetPlan;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A big delivery through the same stages with bounded memory ({@link DeliveryPipeline}, "Memory"):
 * <ol>
 *   <li>{@link ReadStage#scan}: every file read once for its whole-file decisions, no rows kept;</li>
 *   <li>{@link StreamedReceiveStage}: the rows read again straight into the message store with their subject key,
 *       the duplicate check on 128-bit key hashes;</li>
 *   <li>the study session: the records without a subject (TS, trial design, RELREC's dataset-level rows) and those of
 *       the subject-defining dataset (DM, which adds to the ResearchStudy), read back and mapped in one session; only
 *       its study-level resources are written, first;</li>
 *   <li>the subjects, {@code subjectsPerChunk} at a time in subject-key order: their records read back by the index,
 *       mapped in a session of their own, validated and written as {@link SubjectStage} does, reported; then
 *       dropped;</li>
 *   <li>retirement from the datasets' summaries and the store ({@link RetireStage}).</li>
 * </ol>
 * What it holds at once: the datasets' summaries, a key hash per row, the study session (one DM record per subject
 * with its Patient and ResearchSubject, whose records the ResearchStudy is built from) and one chunk of subjects.
 */
public final class StreamedDelivery {

    /** The most a run held at once, for the log line and the bound test. */
    public record Held(int maxSubjects, int maxRecords, int studySessionRecords, int chunks) {
    }

    private final ReadStage read;
    private final MessageStore store;
    private final MapStage map;
    private final SubjectStage subjects;
    private final RetireStage retire;
    private final ReportStage report;
    private final StreamedReceiveStage receive;
    private final int subjectsPerChunk;

    StreamedDelivery(ReadStage read, MessageStore store, MapStage map, SubjectStage subjects, RetireStage retire,
                     ReportStage report, int subjectsPerChunk) {
        this.read = read;
        this.store = store;
        this.map = map;
        this.subjects = subjects;
        this.retire = retire;
        this.report = report;
        this.receive = new StreamedReceiveStage(read, store);
        this.subjectsPerChunk = Math.max(1, subjectsPerChunk);
    }

    Held ingest(Delivery delivery, DeliveryRun run) {
        List<DatasetPlan> plans = read.scan(delivery, run);
        run.stageDone("read");
        List<DatasetSummary> summaries = receive.receive(plans, run);
        run.stageDone("received");
        Map<String, Integer> order = new HashMap<>();
        for (DatasetPlan p : plans) {
            order.put(p.file(), order.size());
        }

        Set<String> subjectDomains = plans.stream().map(DatasetPlan::mapping).filter(DomainMapping::definesSubjects)
                .map(DomainMapping::domain).collect(Collectors.toSet());
        List<MappableDataset> study = datasets(store.recordsWithoutSubjectOr(run.deliveryId(), subjectDomains), plans,
                order);
        int studyRecords = study.stream().mapToInt(d -> d.records().size()).sum();
        // the subject-defining records are this session's only for the ResearchStudy: their subjects' sessions own them
        Predicate<RecordState> owned = r -> mappingOf(r, plans, order).subjectIdOf(r) == null;
        // only the study-level resources are kept: the subjects' Patients and ResearchSubjects the DM records made
        // here are garbage at once (their chunks make them again)
        List<MappedResource> studyLevel = map.map(study, run, owned).studyLevel();
        boolean studyStored = subjects.writeStudyLevel(studyLevel, run);
        studyLevel = null;
        Map<String, RecordState.Failure> failedHere = new HashMap<>();
        List<MappableDataset> ownedOnly = new ArrayList<>();
        for (MappableDataset d : study) {
            List<RecordState> own = new ArrayList<>();
            for (RecordState r : d.records()) {
                if (owned.test(r)) {
                    own.add(r);
                } else if (r.failed()) {
                    failedHere.put(r.id(), r.failure()); // its study-level resource was refused: reported once, here
                }
            }
            ownedOnly.add(new MappableDataset(d.mapping(), d.file(), own, false));
        }
        report.report(ownedOnly, run);
        // dropped before the chunks: the method goes on for the rest of the delivery
        study = null;
        ownedOnly = null;
        run.stageDone("study-level");

        run.progress().subjectsToWrite(store.subjectCount(run.deliveryId()));
        int maxSubjects = 0;
        int maxRecords = 0;
        int chunks = 0;
        String after = null;
        List<String> keys;
        while (!(keys = store.subjectKeys(run.deliveryId(), after, subjectsPerChunk)).isEmpty()) {
            Abandonment.checkCurrent();
            after = keys.get(keys.size() - 1);
            List<MappableDataset> chunk = datasets(store.recordsOfSubjects(run.deliveryId(), keys.get(0), after), plans, order);
            maxSubjects = Math.max(maxSubjects, keys.size());
            maxRecords = Math.max(maxRecords, chunk.stream().mapToInt(d -> d.records().size()).sum());
            chunks++;
            MappedResources out = map.map(chunk, run);
            if (!failedHere.isEmpty()) {
                chunk.forEach(d -> d.records().forEach(r -> {
                    RecordState.Failure f = failedHere.get(r.id());
                    if (f != null) {
                        r.fail(f);
                    }
                }));
            }
            subjects.writeSubjects(out, studyStored, run);
            report.report(chunk, run);
        }
        run.stageDone("subjects");
        retire.retireRemovedRows(summaries, store.failedDomains(run.deliveryId()), run);
        run.stageDone("retired");
        return new Held(maxSubjects, maxRecords, studyRecords, chunks);
    }

    /** Stored records as datasets to map: by file, in the plans' (processing) order, each file's rows in order. */
    private static List<MappableDataset> datasets(List<StoredRecord> stored, List<DatasetPlan> plans,
                                                  Map<String, Integer> order) {
        Map<Integer, List<RecordState>> byPlan = new TreeMap<>();
        for (StoredRecord s : stored) {
            Map<String, String> values = StoredRecordsStage.parseRaw(s.rawValues());
            if (values == null) {
                throw new IllegalStateException("a record stored by this delivery could not be read back: " + s.file()
                        + " row " + s.row());
            }
            byPlan.computeIfAbsent(order.get(s.file()), k -> new ArrayList<>())
                    .add(new RecordState(s.file(), s.row(), values, s.id(), s.domain(), s.rawValues(), s.contentHash()));
        }
        List<MappableDataset> datasets = new ArrayList<>(byPlan.size());
        byPlan.forEach((i, records) -> {
            records.sort(Comparator.comparingInt(RecordState::row));
            DatasetPlan plan = plans.get(i);
            datasets.add(new MappableDataset(plan.mapping(), plan.file(), records, plan.complete()));
        });
        return datasets;
    }

    private static DomainMapping mappingOf(RecordState r, List<DatasetPlan> plans, Map<String, Integer> order) {
        return plans.get(order.get(r.file())).mapping();
    }
}
