package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 3, record as received: every record of the mapped datasets goes into the message store with status
 * {@code received}, its origin (file, row, dataset), content hash and values, failed ones included (their reason is
 * recorded at the end), so nothing read is ever unaccounted for. Inserted in batches of 500.
 */
public final class ReceiveStage {

    private final MessageStore store;

    public ReceiveStage(MessageStore store) {
        this.store = store;
    }

    public void receive(List<MappableDataset> datasets, DeliveryRun run) {
        int n = 0;
        for (MappableDataset d : datasets) {
            n += d.records().size();
        }
        List<StoredRecord> received = new ArrayList<>(n);
        for (MappableDataset d : datasets) {
            for (RecordState r : d.records()) {
                received.add(new StoredRecord(r.id(), run.deliveryId(), r.get("STUDYID"), d.mapping().domain(),
                        r.file(), r.row(), r.hash(), Status.RECEIVED, null, r.raw()));
            }
        }
        store.received(received);
    }
}
