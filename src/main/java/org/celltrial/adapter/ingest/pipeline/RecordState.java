package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.mapping.DataQualityIssue;
import org.celltrial.adapter.mapping.SourceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One source record on its way through the pipeline: the row as read, and everything the stages learn about it. It is
 * the only per-record state of a delivery. It <em>is</em> the {@link SourceRecord} the mapping engine reads, so the
 * engine's {@code MappedResource.sources()} hand the later stages these objects back, without a lookup table.
 *
 * <p>{@link #status()} follows the record's status in the message store (received, mapped, validated, stored or
 * failed), set by the stage that tells the store. A failed record keeps its {@link Failure}; it fails once, the first
 * reason wins. Status and failure are written by the ingest workers (each subject's records by one worker) and read
 * after they finished, hence volatile.
 */
public final class RecordState extends SourceRecord {

    /** Why a record was not stored: the column (may be null), the reason for the report, the OperationOutcome JSON. */
    public record Failure(String column, String reason, String operationOutcome) {
    }

    private final String id;
    private final String domain;
    private final String raw;
    private final String hash;
    private volatile Status status = Status.RECEIVED;
    private volatile Failure failure;
    private List<DataQualityIssue> warnings = List.of();
    private List<String> produced = List.of();

    /**
     * @param id     the record's id in the message store ({@code <delivery>/<file>/<row>})
     * @param domain the SDTM domain it is mapped as (for a split dataset, its DOMAIN value)
     * @param raw    its values as JSON, as kept in the message store and quoted in the report (never logged)
     * @param hash   SHA-256 of {@code raw}: the record's content hash in the store and in Provenance
     */
    public RecordState(String file, int row, Map<String, String> values, String id, String domain, String raw, String hash) {
        super(file, row, values);
        this.id = id;
        this.domain = domain;
        this.raw = raw;
        this.hash = hash;
    }

    public String id() {
        return id;
    }

    public String domain() {
        return domain;
    }

    public String raw() {
        return raw;
    }

    public String hash() {
        return hash;
    }

    public Status status() {
        return status;
    }

    public boolean failed() {
        return failure != null;
    }

    /** Null unless the record failed. */
    public Failure failure() {
        return failure;
    }

    /** Moves a record that has not failed on to {@code next} (mapped, validated, stored). */
    void advance(Status next) {
        if (failure == null) {
            status = next;
        }
    }

    /** Fails the record unless it failed already; returns whether this was its first failure. */
    synchronized boolean fail(Failure why) {
        if (failure != null) {
            return false;
        }
        failure = why;
        status = Status.FAILED;
        return true;
    }

    /** Values the terminology could not translate (kept as text), found by the mapping. */
    public List<DataQualityIssue> warnings() {
        return warnings;
    }

    void warnings(List<DataQualityIssue> issues) {
        this.warnings = issues;
    }

    /** The resources ({@code Type/id}) mapped from this record, as the message store lists them once it is stored. */
    public List<String> produced() {
        return produced;
    }

    void produced(String ref) {
        if (produced.isEmpty()) {
            produced = new ArrayList<>(2);
        }
        produced.add(ref);
    }
}
