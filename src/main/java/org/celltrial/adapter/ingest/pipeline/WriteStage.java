package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.fhir.ProvenanceFactory;
import org.celltrial.adapter.ingest.fhir.SubjectWriter;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 6, write subjects: the valid resources of several subjects go to the FHIR server in one database transaction,
 * with each subject's Provenance (its entries for resources not rewritten stay, those of the rewritten ones are
 * replaced), the resources' source hashes, their untranslated values (the terminology worklist) and the records'
 * {@code stored} status, so a crash leaves all of it or none (what each subject brings: {@link SubjectWrite}). If the
 * server refuses such a transaction for another reason than the database being down, each subject is written alone,
 * so only the refused subject fails, with the server's reason.
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
