package org.celltrial.adapter.ingest.pipeline;

import java.time.Instant;

/**
 * One run of the pipeline as it ended, for whoever keeps a trail of them (the audit trail): which delivery, what kind
 * of run, when, how it ended and its counts. Counts and names only, never a record's values.
 *
 * @param failure the class of the exception that ended the run early, or null
 */
public record IngestRun(Kind kind, String deliveryId, String deliveryName, Instant started, Instant ended,
                        Outcome outcome, int recordsRead, int recordsStored, int recordsRejected, int resourcesWritten,
                        String failure) {

    public enum Kind {
        /** A delivery, from the inbox or a source. */
        DELIVERY,
        /** A delivery's failed records mapped again (POST /api/deliveries/{id}/reprocess). */
        REPROCESS,
        /** Stored resources re-coded after a terminology change. */
        RECODE
    }

    public enum Outcome {
        /** Every record stored. */
        COMPLETE,
        /** The run finished; some records or files were rejected (the report names them). */
        WITH_REJECTIONS,
        /** The run did not finish (database unavailable, abandoned, a bug): it is tried again or reported. */
        FAILED
    }

    static IngestRun of(Kind kind, String deliveryId, IngestReport report, Instant started, RuntimeException failure) {
        Outcome outcome = failure != null ? Outcome.FAILED
                : report.recordsRejected() > 0 || report.hasProblems() ? Outcome.WITH_REJECTIONS : Outcome.COMPLETE;
        return new IngestRun(kind, deliveryId, report.delivery(), started, Instant.now(), outcome, report.recordsRead(),
                report.recordsStored(), report.recordsRejected(), report.resourcesWritten(),
                failure == null ? null : failure.getClass().getSimpleName());
    }
}
