package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 3, record as received: every record of the mapped datasets goes into the message store with status
 * {@code received}, its origin (file, row, dataset), content hash and values, failed ones included (their reason is
 * recorded at the end), so nothing read is ever unaccounted for. Inserted in JDBC batches of 500.
 */
public final class ReceiveStage {

    /** Records per call to the store: a multiple of its JDBC batch of 500. */
    static final int CHUNK = 5_000;

    private final MessageStore store;

    public ReceiveStage(MessageStore store) {
        this.store = store;
    }

    public void receive(List<MappableDataset> datasets, DeliveryRun run) {
        // handed to the store a few thousand at a time: the same batches of 500 statements, without a second list
        // as long as the delivery
        List<StoredRecord> received = new ArrayList<>(CHUNK);
        for (MappableDataset d : datasets) {
            for (RecordState r : d.records()) {
                received.add(new StoredRecord(r.id(), run.deliveryId(), r.get("STUDYID"), d.mapping().domain(),
                        r.file(), r.row(), r.hash(), Status.RECEIVED, null, r.raw()));
                if (received.size() == CHUNK) {
                    store.received(received);
                    received.clear();
                }
            }
        }
        if (!received.isEmpty()) {
            store.received(received);
        }
    }
}
