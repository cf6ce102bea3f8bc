package org.celltrial.adapter.mapping;

/** The record being mapped, with its subject (null for study-level domains) and the time zone for times. */
public record RecordContext(SourceRecord record, SubjectInfo subject, String zone) {
}
