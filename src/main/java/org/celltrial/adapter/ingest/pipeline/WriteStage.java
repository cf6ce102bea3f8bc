package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.fhir.ProvenanceFactory;
import org.celltrial.adapter.ingest.fhir.SubjectWriter;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.celltrial.adapter.mapping.DataQualityIssue;
import org.celltrial.adapter.mapping.MappedResource;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 6, write subjects: the valid resources of several subjects go to the FHIR server in one database transaction,
 * with each subject's Provenance (its entries for resources not rewritten stay, those of the rewritten ones are
 * replaced), the resources' source hashes, their untranslated values (the terminology worklist) and the records'
 * {@code stored} status, so a crash leaves all of it or none. Resources unchanged since they were stored are not
 * written. If the server refuses such a transaction for another reason than the database being down, each subject is
 * written alone, so only the refused subject fails, with the server's reason.
 */
public final class WriteStage {

    private static final Logger log = LoggerFactory.getLogger(WriteStage.class);

    private final SubjectWriter writer;
    private final MessageStore store;
    private final TermUseStore termUses;

    public WriteStage(SubjectWriter writer, MessageStore store, TermUseStore termUses) {
        this.writer = writer;
        this.store = store;
        this.termUses = termUses;
    }

    /**
     * What one subject's transaction holds: its new or changed resources, the inputs of its Provenance, the source
     * hashes of those resources, its untranslated values, and its records (those not failed end as stored).
     */
    public record SubjectWrite(List<Resource> resources, Map<List<String>, List<ProvenanceFactory.Written>> provenance,
                               List<MessageStore.ResourceState> states, List<TermUseStore.TermUse> termUses,
                               Set<RecordState> records) {

        /** A refused transaction rolled back, but HAPI had already given the resources a version: take it off again. */
        void forgetAttempt() {
            for (Resource r : resources) {
                r.setId(r.fhirType() + "/" + r.getIdPart());
                r.getMeta().setVersionId(null);
                r.getMeta().setLastUpdated(null);
            }
        }
    }

    /** One subject's part of a transaction: {@code valid} are its resources that may be stored, {@code records} all of its records. */
    public SubjectWrite prepare(List<MappedResource> valid, Set<RecordState> records, ChangedResources changes, DeliveryRun run) {
        List<Resource> toWrite = new ArrayList<>();
        // per study and subject (one subject per group; the study-level group may hold several studies)
        Map<List<String>, List<ProvenanceFactory.Written>> written = new LinkedHashMap<>();
        List<MessageStore.ResourceState> states = new ArrayList<>();
        List<TermUseStore.TermUse> uses = new ArrayList<>();
        for (MappedResource r : valid) {
            if (changes.unchanged(r)) {
                continue; // same source records, same mapping: nothing to write
            }
            String ref = MapStage.ref(r);
            RecordState first = (RecordState) r.sources().get(0);
            String studyId = first.get("STUDYID");
            toWrite.add(r.resource());
            written.computeIfAbsent(Arrays.asList(studyId, r.subjectId()), k -> new ArrayList<>())
                    .add(new ProvenanceFactory.Written(r.resource(), r.sources()));
            states.add(new MessageStore.ResourceState(ref, studyId, first.domain(), changes.sourceHash(r), run.deliveryId()));
            for (DataQualityIssue i : r.issues()) {
                uses.add(new TermUseStore.TermUse(ref, studyId, i.variable(), i.valueKey(), i.value(), i.translation(),
                        i.element(), run.deliveryId()));
            }
        }
        return new SubjectWrite(toWrite, written, states, uses, records);
    }

    /** Writes the subjects, together or, if refused, one by one. Returns whether every subject was stored. */
    public boolean write(List<SubjectWrite> writes, DeliveryRun run) {
        if (writes.size() > 1) {
            try {
                writeTogether(writes, run);
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
                writeTogether(List.of(w), run);
            } catch (RefusedWrite e) {
                // the transaction rolled back: nothing of the subject is stored; say which part refused
                boolean bookkeeping = e.getCause() instanceof BookkeepingFailed;
                Throwable cause = bookkeeping ? e.getCause().getCause() : e.getCause();
                String reason = (bookkeeping ? "not stored: the message store could not record the subject's resources: "
                        : "FHIR server rejected the resources: ") + cause.getMessage();
                log.warn("Storing resources of a delivery failed ({}); the records are listed in the report",
                        cause.getClass().getSimpleName());
                w.records().forEach(s -> run.fail(s, null, reason));
                all = false;
            }
        }
        return all;
    }

    /**
     * One transaction: the resources, the Provenance of each subject, the source hashes and record statuses.
     *
     * @throws RefusedWrite if the server or the message store refused it (rolled back)
     * @throws StorageUnavailableException if the database is unavailable (the route retries the whole delivery)
     */
    private void writeTogether(List<SubjectWrite> writes, DeliveryRun run) {
        List<Resource> resources = new ArrayList<>();
        List<SubjectWriter.Derived> provenances = new ArrayList<>();
        List<MessageStore.ResourceState> states = new ArrayList<>();
        List<String> stored = new ArrayList<>();
        List<RecordState> storedRecords = new ArrayList<>();
        Map<String, String> resourcesOf = new HashMap<>();
        List<TermUseStore.TermUse> uses = new ArrayList<>();
        for (SubjectWrite w : writes) {
            uses.addAll(w.termUses());
            resources.addAll(w.resources());
            w.provenance().forEach((key, list) -> {
                String provenanceId = ProvenanceFactory.idFor(key.get(0), key.get(1));
                provenances.add(new SubjectWriter.Derived("Provenance", provenanceId, current -> ProvenanceFactory.merge(
                        (Provenance) current, provenanceId, list, key.get(0), run.deliveryName(), run.mappingVersion(),
                        s -> ((RecordState) s).hash(), s -> ((RecordState) s).domain())));
            });
            states.addAll(w.states());
            for (RecordState r : w.records()) {
                if (!r.failed()) {
                    stored.add(r.id());
                    storedRecords.add(r);
                    resourcesOf.put(r.id(), String.join(",", r.produced()));
                }
            }
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
            storedRecords.forEach(r -> r.advance(Status.STORED));
            run.resourcesWritten(resources.size());
        } catch (RuntimeException e) {
            if (StorageUnavailableException.isCause(e)) {
                // transactions never leave a subject half stored
                throw new StorageUnavailableException("FHIR storage unavailable", e);
            }
            throw new RefusedWrite(e);
        }
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
}
