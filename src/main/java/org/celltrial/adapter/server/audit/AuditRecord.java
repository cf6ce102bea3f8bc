package org.celltrial.adapter.server.audit;

/** What the audit trail queues: an access to the server, or a run of the ingest pipeline. */
public sealed interface AuditRecord permits AccessRecord, IngestRunRecord {
}
