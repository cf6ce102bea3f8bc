package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.fhir.StoredResourceMerger;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.SourceRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Stages 5 and 6 over all subjects: {@link ValidateStage validate} then {@link WriteStage write}, the study-level
 * resources (ResearchStudy) first, since every subject's resources refer to them, then the subjects, a chunk of
 * {@code subjectsPerTransaction} at a time per ingest worker. Each chunk is validated and written by one worker in its
 * own transaction, so chunks never wait for each other and both the validator and HAPI's writes use all cores. If the
 * study-level resources cannot be stored, no subject is.
 */
public final class SubjectStage {

    private final ValidateStage validate;
    private final WriteStage write;
    private final StoredResourceMerger merger;
    private final MessageStore store;
    private final IngestWorkers workers;
    private final int subjectsPerTransaction;

    public SubjectStage(ValidateStage validate, WriteStage write, StoredResourceMerger merger, MessageStore store,
                        IngestWorkers workers, int subjectsPerTransaction) {
        this.validate = validate;
        this.write = write;
        this.merger = merger;
        this.store = store;
        this.workers = workers;
        this.subjectsPerTransaction = Math.max(1, subjectsPerTransaction);
    }

    public void validateAndWrite(MappedResources out, DeliveryRun run) {
        ChangedResources changes = ChangedResources.of(out.all(), run.mappingVersion(), store);
        List<List<MappedResource>> subjects = subjectGroups(out, run);
        run.progress().subjectsToWrite(subjects.size());
        if (!writeStudyLevel(out.studyLevel(), changes, run)) {
            failSubjects(subjects, run);
            return;
        }
        run.stageDone("study-level");
        writeSubjects(subjects, changes, run);
    }

    /**
     * The streamed ingest's study session: only its study-level resources are written (its subjects' resources are
     * mapped and written again a chunk at a time). Returns whether they were stored.
     */
    boolean writeStudyLevel(List<MappedResource> studyLevel, DeliveryRun run) {
        return writeStudyLevel(studyLevel, ChangedResources.byRef(studyLevel, run.mappingVersion(), store), run);
    }

    /**
     * The streamed ingest's chunk of subjects: its subjects' resources only (the study-level ones its DM records made
     * again were written by the study session), or, if those could not be stored, none: the records fail.
     */
    void writeSubjects(MappedResources out, boolean studyLevelStored, DeliveryRun run) {
        List<List<MappedResource>> subjects = subjectGroups(out, run);
        if (!studyLevelStored) {
            failSubjects(subjects, run);
            return;
        }
        List<MappedResource> subjectResources = new ArrayList<>();
        subjects.forEach(subjectResources::addAll);
        writeSubjects(subjects, ChangedResources.byRef(subjectResources, run.mappingVersion(), store), run);
    }

    private List<List<MappedResource>> subjectGroups(MappedResources out, DeliveryRun run) {
        List<List<MappedResource>> subjects = new ArrayList<>();
        for (List<MappedResource> group : out.bySubject().values()) {
            subjects.add(withStoredElements(group, run));
        }
        return subjects;
    }

    private boolean writeStudyLevel(List<MappedResource> studyLevel, ChangedResources changes, DeliveryRun run) {
        // a delivery that brings only some of the study's datasets keeps what the others gave it
        studyLevel.forEach(r -> merger.carryOverMissingElements(r.resource()));
        return studyLevel.isEmpty() || chunk(List.of(studyLevel), changes, run);
    }

    private static void failSubjects(List<List<MappedResource>> subjects, DeliveryRun run) {
        for (List<MappedResource> group : subjects) {
            group.forEach(r -> r.sources().forEach(s ->
                    run.fail((RecordState) s, null, "not stored because the study-level resources failed")));
        }
    }

    private void writeSubjects(List<List<MappedResource>> subjects, ChangedResources changes, DeliveryRun run) {
        // a small delivery still keeps every worker busy: at most its share of the subjects per transaction
        int perTransaction = Math.max(1, Math.min(subjectsPerTransaction,
                (subjects.size() + workers.threads() - 1) / workers.threads()));
        List<Runnable> tasks = new ArrayList<>();
        for (int from = 0; from < subjects.size(); from += perTransaction) {
            List<List<MappedResource>> chunk = subjects.subList(from, Math.min(subjects.size(), from + perTransaction));
            tasks.add(() -> {
                chunk(chunk, changes, run);
                run.progress().subjectsWritten(chunk.size());
                run.progress().maybeLog();
            });
        }
        workers.runAll(tasks);
    }

    /**
     * A resource that this delivery only contributed to (DS alone sets the status of the ResearchSubject that DM built)
     * keeps every element the stored version has and the contribution does not set. With no stored version there is
     * nothing to contribute to: its records are rejected, naming the resource, and the resource is not written.
     */
    private List<MappedResource> withStoredElements(List<MappedResource> group, DeliveryRun run) {
        List<MappedResource> kept = group;
        for (MappedResource r : group) {
            if (!r.contributionOnly() || merger.carryOverMissingElements(r.resource())) {
                continue;
            }
            if (kept == group) {
                kept = new ArrayList<>(group);
            }
            kept.remove(r);
            for (SourceRecord s : r.sources()) {
                run.fail((RecordState) s, null, "adds to " + MapStage.ref(r) + ", which " + r.contributedTo()
                        + " builds, but neither this delivery nor the store has it");
            }
        }
        return kept;
    }

    /** Validates each subject of the chunk, then writes them in one transaction. Returns whether all were stored. */
    private boolean chunk(List<List<MappedResource>> subjects, ChangedResources changes, DeliveryRun run) {
        List<SubjectWrite> writes = new ArrayList<>(subjects.size());
        List<String> validated = new ArrayList<>();
        List<RecordState> validatedRecords = new ArrayList<>();
        for (List<MappedResource> group : subjects) {
            List<MappedResource> valid = validate.validate(group, changes, run);
            Set<RecordState> records = Collections.newSetFromMap(new IdentityHashMap<>());
            for (MappedResource r : group) {
                for (SourceRecord s : r.sources()) {
                    records.add((RecordState) s);
                }
            }
            for (RecordState r : records) {
                if (!r.failed()) {
                    validated.add(r.id());
                    validatedRecords.add(r);
                }
            }
            writes.add(SubjectWrite.of(valid, records, changes, run));
        }
        store.status(validated, Status.VALIDATED, null, null);
        validatedRecords.forEach(r -> r.advance(Status.VALIDATED));
        return write.write(writes, run);
    }

}
