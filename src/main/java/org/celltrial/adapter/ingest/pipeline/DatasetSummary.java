package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.mapping.DomainMapping;

import java.util.Set;

/**
 * What the streamed ingest keeps of a dataset once its rows are in the message store: its mapping, file, whether it
 * is complete (every row readable, every required column there) and the studies its records belong to; what the
 * retire stage needs besides the store.
 */
record DatasetSummary(DomainMapping mapping, String file, boolean complete, Set<String> studies) {
}
