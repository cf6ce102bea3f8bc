package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.mapping.DomainMapping;

import java.util.List;

/**
 * A dataset ready to map: its mapping, the file it came from, its records, and whether it is complete (every row of
 * the file was readable and the header had every required column), which the retire stage requires before it retires
 * anything a missing row had produced.
 */
public record MappableDataset(DomainMapping mapping, String file, List<RecordState> records, boolean complete) {
}
