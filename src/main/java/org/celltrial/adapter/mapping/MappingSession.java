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
    private final DatasetRelations relations = new DatasetRelations();
    private boolean resolvedRelations;

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
        if (resolvedRelations && relations.any()) {
            throw new IllegalStateException("the delivery's dataset-level relations were resolved: map every record first");
        }
        PreparedRecord p = prepare(mapping, record);
        p.apply(out, record);
        if (mapping.definesSubjects()) {
            subjects.put(p.subjectId(), p.subject());
        }
        relations.noteMapped(mapping, p.subjectId(), record);
        return p.ctx().issues();
    }

    /** A record's resources, converted and checked, not yet applied (a bad record leaves nothing behind). */
    private record PreparedRecord(String subjectId, SubjectInfo subject, RecordContext ctx, ResourceRule.Prepared[] prepared) {

        boolean producesAnything() {
            for (ResourceRule.Prepared p : prepared) {
                if (p != null) {
                    return true;
                }
            }
            return false;
        }

        /** @param source the record the resources count as coming from */
        void apply(MappedResources out, SourceRecord source) {
            for (ResourceRule.Prepared p : prepared) {
                if (p != null) {
                    p.rule().apply(out, p, subjectId, source);
                }
            }
        }
    }

    private PreparedRecord prepare(DomainMapping mapping, SourceRecord record) {
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
        return new PreparedRecord(subjectId, subject, ctx, prepared);
    }

    /**
     * Maps the record-level relations that the delivery's dataset-level relations stand for ({@link DatasetRelations}),
     * once, after every record: a relation instance is kept only when records of at least two of its datasets could
     * be pointed at. An expanded row that cannot be mapped (its record produced no resource to point at) is left out:
     * it is not a delivered record, and the related record itself has landed.
     */
    private void resolveRelations() {
        resolvedRelations = true;
        if (!relations.any()) {
            return;
        }
        for (List<DatasetRelations.Expanded> group : relations.expand()) {
            List<PreparedRecord> prepared = new ArrayList<>(group.size());
            List<SourceRecord> sources = new ArrayList<>(group.size());
            java.util.Set<String> members = new java.util.HashSet<>();
            for (DatasetRelations.Expanded e : group) {
                try {
                    PreparedRecord p = prepare(e.mapping(), e.row());
                    if (p.producesAnything()) {
                        prepared.add(p);
                        sources.add(e.source());
                        members.add(e.member());
                    }
                } catch (RecordMappingException ignored) {
                    // see above: nothing of the related record is lost
                }
            }
            if (members.size() >= 2) {
                for (int i = 0; i < prepared.size(); i++) {
                    prepared.get(i).apply(out, sources.get(i));
                }
            }
        }
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

    /** The dataset-level relations this session's study-level rows defined, for the sessions of the subjects. */
    public DatasetRelations.Definitions datasetRelations() {
        return relations.definitions();
    }

    /** Resolves, too, the dataset-level relations another session of the delivery learnt; call before mapping. */
    public void relateAs(DatasetRelations.Definitions learnt) {
        relations.learn(learnt);
    }

    /** The delivery's resources; the first call also maps the dataset-level relations, so map every record before. */
    public MappedResources result() {
        if (!resolvedRelations) {
            resolveRelations();
        }
        return out;
    }
}
