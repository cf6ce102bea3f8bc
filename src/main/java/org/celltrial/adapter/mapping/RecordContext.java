package org.celltrial.adapter.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * The record being mapped, with its subject (null for study-level domains), the time zone for times, what can find
 * the resource of a parent record (SUPP--, RELREC), and the data-quality issues found while mapping it.
 */
public record RecordContext(SourceRecord record, SubjectInfo subject, String zone, ParentResolver parents,
                            List<DataQualityIssue> issues) {

    public RecordContext(SourceRecord record, SubjectInfo subject, String zone) {
        this(record, subject, zone, ParentResolver.NONE, new ArrayList<>());
    }
}
