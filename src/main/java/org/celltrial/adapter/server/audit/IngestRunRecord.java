package org.celltrial.adapter.server.audit;

import org.celltrial.adapter.ingest.pipeline.IngestRun;

/** A run of the ingest pipeline (a delivery, a reprocess, a re-coding) for the audit trail. */
public record IngestRunRecord(IngestRun run) implements AuditRecord {
}
