package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.pipeline.ReadStage.DatasetPlan;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.mapping.SourceRecord;
import org.celltrial.adapter.mapping.Translation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Stages 2 and 3 of a big delivery, streamed: the rows of each planned dataset ({@link ReadStage#scan}) are read again
 * and go straight into the message store, a few thousand at a time, each with its subject key; a record that fails
 * here (a type error against the define, a file without a required column) goes in as failed with its reason. Per
 * dataset only a {@link DatasetSummary} stays, and per row the 128-bit hash of its key ({@link KeyHashes}): rows
 * whose hashes meet are read back from the store and, if their keys really are equal, all of them fail as duplicates,
 * naming each other, as {@link KeyCheckStage} does in memory.
 */
final class StreamedReceiveStage {

    private final ReadStage read;
    private final MessageStore store;

    StreamedReceiveStage(ReadStage read, MessageStore store) {
        this.read = read;
        this.store = store;
    }

    List<DatasetSummary> receive(List<DatasetPlan> plans, DeliveryRun run) {
        Map<String, KeyHashes> keysByDomain = new HashMap<>();
        List<DatasetSummary> summaries = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            DatasetPlan plan = plans.get(i);
            List<String> keyColumns = plan.mapping().recordKey();
            KeyHashes keys = keyColumns.isEmpty() ? null
                    : keysByDomain.computeIfAbsent(plan.mapping().domain(), d -> new KeyHashes());
            TreeSet<String> studies = new TreeSet<>();
            Batch batch = new Batch(run);
            long datasetIndex = i;
            int[] count = {0};
            read.rowsOf(plan, row -> {
                if (++count[0] % ReadStage.CHECK_EVERY == 0) {
                    Abandonment.checkCurrent(); // a delivery past its time budget stops here
                    run.progress().maybeLog();
                }
                if (row.problem() != null) {
                    run.report().rejectRecord(plan.file(), row.number(), null, row.problem(), row.raw());
                    return;
                }
                RecordState r = ReadStage.record(plan, row, run);
                ReadStage.check(plan, r, run);
                String subject = null;
                if (!r.failed()) {
                    studies.add(r.get("STUDYID"));
                    if (keys != null) {
                        keys.add(key(r, keyColumns), datasetIndex << 32 | row.number());
                    }
                    subject = plan.mapping().subjectIdOf(r);
                }
                batch.add(r, subject);
            });
            batch.flush();
            summaries.add(new DatasetSummary(plan.mapping(), plan.file(), plan.complete(), studies));
        }
        keysByDomain.forEach((domain, keys) -> rejectDuplicates(keys, plans, run));
        return summaries;
    }

    /** The records of a dataset on their way to the store. */
    private final class Batch {
        private final DeliveryRun run;
        private final List<StoredRecord> records = new ArrayList<>(ReceiveStage.CHUNK);
        private final List<String> subjects = new ArrayList<>(ReceiveStage.CHUNK);

        Batch(DeliveryRun run) {
            this.run = run;
        }

        void add(RecordState r, String subject) {
            RecordState.Failure failure = r.failure();
            records.add(new StoredRecord(r.id(), run.deliveryId(), r.get("STUDYID"), r.domain(), r.file(), r.row(), r.hash(),
                    failure == null ? Status.RECEIVED : Status.FAILED, failure == null ? null : failure.operationOutcome(),
                    r.raw()));
            subjects.add(subject);
            if (records.size() == ReceiveStage.CHUNK) {
                flush();
            }
        }

        void flush() {
            if (!records.isEmpty()) {
                store.received(records, subjects);
                records.clear();
                subjects.clear();
            }
        }
    }

    /** A record's key as {@link KeyCheckStage} compares it (case and spacing do not count), as one string. */
    private static String key(SourceRecord r, List<String> columns) {
        StringBuilder sb = new StringBuilder();
        for (String c : columns) {
            sb.append(Translation.key(r.get(c))).append('\u0000');
        }
        return sb.toString();
    }

    /** Rows whose key hashes met: read back, compared by their real keys, and failed together where those are equal. */
    private void rejectDuplicates(KeyHashes keys, List<DatasetPlan> plans, DeliveryRun run) {
        List<List<Long>> repeats = keys.repeats();
        if (repeats.isEmpty()) {
            return;
        }
        Map<String, RecordState> byId = new HashMap<>();
        List<String> ids = new ArrayList<>();
        repeats.forEach(group -> group.forEach(ref -> ids.add(idOf(ref, plans, run))));
        for (StoredRecord s : store.recordsById(ids)) {
            byId.put(s.id(), new RecordState(s.file(), s.row(), StoredRecordsStage.parseRaw(s.rawValues()), s.id(), s.domain(),
                    s.rawValues(), s.contentHash()));
        }
        Map<String, String> reasons = new HashMap<>();
        for (List<Long> group : repeats) {
            List<String> columns = plans.get((int) (group.get(0) >>> 32)).mapping().recordKey();
            Map<String, List<RecordState>> byKey = new LinkedHashMap<>();
            group.stream().sorted(Comparator.naturalOrder()).map(ref -> byId.get(idOf(ref, plans, run)))
                    .forEach(r -> byKey.computeIfAbsent(key(r, columns), k -> new ArrayList<>()).add(r));
            for (List<RecordState> rows : byKey.values()) {
                if (rows.size() < 2) {
                    continue; // hashes met, keys differ
                }
                String where = rows.stream().map(SourceRecord::origin).collect(Collectors.joining(", "));
                String cols = String.join(", ", columns);
                for (RecordState r : rows) {
                    run.fail(r, cols, "duplicate key: " + where + " share the key (" + cols + "); none of them was stored");
                    reasons.put(r.id(), r.failure().operationOutcome());
                }
            }
        }
        store.status(reasons.keySet(), Status.FAILED, reasons, null);
    }

    private static String idOf(long ref, List<DatasetPlan> plans, DeliveryRun run) {
        return run.deliveryId() + "/" + plans.get((int) (ref >>> 32)).file() + "/" + (int) ref;
    }
}
