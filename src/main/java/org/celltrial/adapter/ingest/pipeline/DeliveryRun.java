package org.celltrial.adapter.ingest.pipeline;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.mapping.MappingSet;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the stages of one run (a delivery, a reprocess, a re-coding) share: which delivery it is, its report, its
 * progress and the time each stage ended. Per-record state is in {@link RecordState}, not here.
 */
public final class DeliveryRun {

    private final String deliveryId;
    private final String deliveryName;
    private final MappingSet mappings;
    private final IngestReport report;
    private final FhirContext ctx;
    private final Progress progress;
    /** Milliseconds since the start of the run at the end of each stage, for the log line of the delivery. */
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private final long t0 = System.nanoTime();
    /** RELREC's dataset-level relations, learnt by the first session that maps them (streamed: the study session). */
    private org.celltrial.adapter.mapping.DatasetRelations.Definitions datasetRelations;

    public DeliveryRun(String deliveryId, String deliveryName, MappingSet mappings, IngestReport report, FhirContext ctx) {
        this.deliveryId = deliveryId;
        this.deliveryName = deliveryName;
        this.mappings = mappings;
        this.report = report;
        this.ctx = ctx;
        this.progress = new Progress(deliveryName);
    }

    public String deliveryId() {
        return deliveryId;
    }

    /** The name Provenance and the report give the delivery. */
    public String deliveryName() {
        return deliveryName;
    }

    /** The mappings this run maps with, taken at its start: a reload meanwhile changes nothing of a running delivery. */
    public MappingSet mappings() {
        return mappings;
    }

    public String mappingVersion() {
        return mappings.version();
    }

    public IngestReport report() {
        return report;
    }

    public Progress progress() {
        return progress;
    }

    public FhirContext fhirContext() {
        return ctx;
    }

    public void fail(RecordState r, String column, String reason) {
        fail(r, column, reason, null);
    }

    /**
     * Fails a record (once) with {@code outcome} as its reason, or an OperationOutcome made from {@code reason}, and
     * lists it in the report. Called by the ingest workers concurrently: the report is not thread-safe.
     */
    public synchronized void fail(RecordState r, String column, String reason, String outcome) {
        if (r.failed()) {
            return;
        }
        r.fail(new RecordState.Failure(column, reason,
                outcome != null ? outcome : outcome(column == null ? reason : "column " + column + ": " + reason, r)));
        report.rejectRecord(r.file(), r.row(), column, reason, r.raw());
    }

    /** Fails a record whose whole file the report already rejected (one line for the file, not one per row). */
    public void failWithFile(RecordState r, String reason) {
        r.fail(new RecordState.Failure(null, reason, outcome(reason, r)));
    }

    public synchronized void resourcesWritten(int n) {
        report.resourcesWritten(n);
    }

    /** Notes the end of a stage. */
    public void stageDone(String name) {
        timings.put(name, (System.nanoTime() - t0) / 1_000_000);
    }

    public String timings() {
        return timings.toString();
    }

    private String outcome(String diagnostics, RecordState r) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.PROCESSING)
                .setDiagnostics(r.file() + " row " + r.row() + ": " + diagnostics);
        return ctx.newJsonParser().encodeResourceToString(oo);
    }

    org.celltrial.adapter.mapping.DatasetRelations.Definitions datasetRelations() {
        return datasetRelations;
    }

    void datasetRelations(org.celltrial.adapter.mapping.DatasetRelations.Definitions learnt) {
        this.datasetRelations = learnt;
    }
}
