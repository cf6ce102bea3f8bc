package org.celltrial.adapter.ingest.pipeline;

/**
 * Told of every run of the pipeline when it ends, successful or not (server/audit keeps them as AuditEvents). Called on
 * the ingest thread: an implementation must not block (queue the work) and must not throw.
 */
@FunctionalInterface
public interface IngestRunListener {

    void ended(IngestRun run);
}
