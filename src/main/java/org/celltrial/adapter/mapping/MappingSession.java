package org.celltrial.adapter.mapping;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the records of one delivery into {@link MappedResources}. Keeps the subjects the delivery's
 * DM rows defined, so that later rows can be checked against them and their study days dated.
 * Not thread-safe: one session per delivery.
 */
public final class MappingSession {

    private final MappedResources out = new MappedResources();
    private final Map<String, SubjectInfo> subjects = new HashMap<>();
    private final SubjectDirectory directory;
    private final String zone;

    MappingSession(SubjectDirectory directory, String zone) {
        this.directory = directory;
        this.zone = zone;
    }

    /** Maps one record; on error nothing of the record is kept and the exception names the column. */
    public void map(DomainMapping mapping, SourceRecord record) {
        for (String column : mapping.requiredColumns()) {
            if (!record.has(column)) {
                throw new RecordMappingException(column, "required value is missing");
            }
        }
        String subjectId = null;
        SubjectInfo subject = null;
        if (mapping.subject() != null) {
            subjectId = FhirIds.fromKey(mapping.subject().render(record));
            if (mapping.definesSubjects()) {
                subject = new SubjectInfo(subjectId, referenceStart(mapping, record));
            } else {
                subject = resolveSubject(mapping, subjectId);
            }
        }
        RecordContext ctx = new RecordContext(record, subject, zone);
        List<ResourceRule> rules = mapping.resources();
        ResourceRule.Prepared[] prepared = new ResourceRule.Prepared[rules.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = rules.get(i).prepare(ctx);
        }
        for (ResourceRule.Prepared p : prepared) {
            if (p != null) {
                p.rule().apply(out, p, subjectId, record);
            }
        }
        if (mapping.definesSubjects()) {
            subjects.put(subjectId, subject);
        }
    }

    private LocalDate referenceStart(DomainMapping mapping, SourceRecord record) {
        String column = mapping.referenceStartColumn();
        if (column == null || !record.has(column)) {
            return null;
        }
        return SdtmDates.toLocalDate(column, record.get(column));
    }

    private SubjectInfo resolveSubject(DomainMapping mapping, String subjectId) {
        SubjectInfo known = subjects.get(subjectId);
        if (known != null) {
            return known;
        }
        Optional<SubjectInfo> stored = directory.find(subjectId);
        if (stored.isPresent()) {
            subjects.put(subjectId, stored.get());
            return stored.get();
        }
        List<String> keyColumns = mapping.subject().columns();
        throw new RecordMappingException(keyColumns.get(keyColumns.size() - 1),
                "unknown subject: no valid DM record for it in this delivery and none stored");
    }

    public MappedResources result() {
        return out;
    }
}
