package org.celltrial.adapter.mapping;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the records of one delivery into {@link MappedResources}. Keeps the subjects the delivery's
 * DM rows defined, so that later rows can be checked against them and their study days dated, and finds the
 * resources that records of relationship domains (SUPP--, RELREC) point at.
 * Not thread-safe: one session per delivery.
 */
public final class MappingSession implements ParentResolver {

    private final MappedResources out = new MappedResources();
    private final Map<String, SubjectInfo> subjects = new HashMap<>();
    private final SubjectDirectory directory;
    private final MappingSet mappings;
    private final String zone;

    MappingSession(MappingSet mappings, SubjectDirectory directory, String zone) {
        this.mappings = mappings;
        this.directory = directory;
        this.zone = zone;
    }

    /**
     * Maps one record; on error nothing of the record is kept and the exception names the column.
     *
     * @return the record's data-quality issues (values kept as text without a code), usually none
     */
    public List<DataQualityIssue> map(DomainMapping mapping, SourceRecord record) {
        for (String column : mapping.requiredColumns()) {
            if (!record.has(column)) {
                throw new RecordMappingException(column, "required value is missing");
            }
        }
        String subjectId = null;
        SubjectInfo subject = null;
        if (mapping.subject() != null && !(mapping.subjectOptional() && !hasAll(record, mapping.subject().columns()))) {
            subjectId = FhirIds.fromKey(mapping.subject().render(record));
            if (mapping.definesSubjects()) {
                subject = new SubjectInfo(subjectId, referenceStart(mapping, record));
            } else {
                subject = resolveSubject(mapping, subjectId);
            }
        }
        RecordContext ctx = new RecordContext(record, subject, zone, this, new ArrayList<>(0));
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
        return ctx.issues();
    }

    private static boolean hasAll(SourceRecord record, List<String> columns) {
        for (String c : columns) {
            if (!record.has(c)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String resolve(SourceRecord record, String domain, String keyVariable, String keyValue) {
        DomainMapping parent = mappings.forDomain(domain).orElseThrow(() -> new RecordMappingException(null,
                "the parent record's domain " + domain + " has no mapping"));
        ResourceRule primary = parent.primaryResource();
        Map<String, String> values = new HashMap<>(record.values());
        values.put("DOMAIN", domain.toUpperCase(Locale.ROOT));
        String key = keyVariable.trim().toUpperCase(Locale.ROOT);
        if (!key.isEmpty()) {
            values.put(key, keyValue);
        }
        String id;
        try {
            id = FhirIds.fromKey(primary.idTemplate().render(new SourceRecord(record.file(), record.row(), values)));
        } catch (RecordMappingException e) {
            throw new RecordMappingException(null, "the parent " + domain + " record cannot be found by "
                    + (key.isEmpty() ? "the subject alone" : key) + ": " + domain + " records are identified by "
                    + primary.idTemplate());
        }
        String ref = primary.resourceType() + "/" + id;
        if (!out.contains(ref) && !directory.exists(ref)) {
            throw new RecordMappingException(null, "no " + domain + " record with " + (key.isEmpty() ? "this subject"
                    : key + " " + keyValue) + " in this delivery or stored");
        }
        return ref;
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
