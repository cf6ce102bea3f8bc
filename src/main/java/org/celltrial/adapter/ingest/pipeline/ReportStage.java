package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.mapping.DataQualityIssue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 8, report: every failed record's reason (an OperationOutcome) goes to the message store, the untranslated
 * values of the records that were stored go to the report as warnings, and a delivery is finished in the store with
 * its outcome and the rendered report.
 */
public final class ReportStage {

    private final MessageStore store;

    public ReportStage(MessageStore store) {
        this.store = store;
    }

    public void report(List<MappableDataset> datasets, DeliveryRun run) {
        Map<String, String> reasons = new HashMap<>();
        for (MappableDataset d : datasets) {
            for (RecordState r : d.records()) {
                RecordState.Failure failure = r.failure();
                if (failure != null) {
                    reasons.put(r.id(), failure.operationOutcome());
                } else {
                    for (DataQualityIssue i : r.warnings()) {
                        run.report().untranslated(r.file(), r.row(), i.variable(), i.value(), i.translation());
                    }
                }
            }
        }
        store.status(reasons.keySet(), Status.FAILED, reasons, null);
    }

    /** The delivery's outcome in the store: error when anything was rejected, else done. */
    public void finish(DeliveryRun run) {
        IngestReport report = run.report();
        store.finishDelivery(run.deliveryId(), report.hasProblems() ? MessageStore.DeliveryOutcome.ERROR
                : MessageStore.DeliveryOutcome.DONE, report.render());
    }

    /** A reprocess ends in error while any record of the delivery is still failed. */
    public void finishReprocess(DeliveryRun run) {
        boolean anyLeft = !store.records(run.deliveryId(), Status.FAILED).isEmpty();
        store.finishReprocess(run.deliveryId(), anyLeft ? MessageStore.DeliveryOutcome.ERROR : MessageStore.DeliveryOutcome.DONE,
                run.report().render());
    }
}
