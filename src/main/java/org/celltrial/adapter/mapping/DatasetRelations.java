package org.celltrial.adapter.mapping;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the dataset-level relations of a delivery into the record-level relations they stand for. A study-level
 * RELREC row says "AE records relate to DS records by AELNKID = DSLNKID" (RELID AEDS); SDTMIG defines that as: the
 * records of one subject whose AELNKID and DSLNKID are equal are related. So for each subject and linking value shared
 * by records of at least two of the relation's datasets, each of those records becomes one record-level row
 * (RDOMAIN, IDVAR = the linking variable, IDVARVAL = the value, RELID = {@code <RELID>-<value>}), which the
 * relationship domain's own mapping maps like a delivered one. The expanded row carries the related record's values
 * (so that its resource's id can be rendered) and counts that record as its source: the relation is retired with it.
 * Only records mapped in the same session take part: the relation and the related datasets come in one delivery.
 */
public final class DatasetRelations {

    /**
     * The relations a session learnt from its study-level rows, handed to the sessions that map the subjects when a
     * delivery is mapped in several (a streamed delivery: study session first, then a chunk of subjects at a time).
     */
    public static final class Definitions {
        private final Map<String, List<Member>> relations;

        private Definitions(Map<String, List<Member>> relations) {
            this.relations = relations;
        }

        public boolean isEmpty() {
            return relations.isEmpty();
        }
    }

    /** One dataset of a relation: a study-level row of the relationship domain. */
    private record Member(String study, String relation, String domain, String variable, SourceRecord row,
                          DomainMapping mapping) {
    }

    /** A record mapped for a subject, which a relation may link. */
    private record Mapped(String domain, String subjectId, SourceRecord record) {
    }

    /** An expanded record-level row, to be mapped by {@code mapping} with {@code source} as the record it came from. */
    record Expanded(DomainMapping mapping, SourceRecord row, SourceRecord source, String member) {
    }

    private final Map<String, List<Member>> relations = new LinkedHashMap<>();
    private final Map<String, List<Mapped>> mappedByDomain = new HashMap<>();

    /** Notes a record the session mapped: a relation's study-level row, or a subject's record it may link. */
    void noteMapped(DomainMapping mapping, String subjectId, SourceRecord record) {
        DatasetRelationColumns columns = mapping.datasetRelations();
        if (columns != null) {
            if (subjectId == null && record.has(columns.domain()) && record.has(columns.variable())
                    && record.has(columns.relation()) && !record.has(columns.value())) {
                String study = record.get("STUDYID");
                String relation = record.get(columns.relation());
                relations.computeIfAbsent(study + '\u0000' + relation, k -> new ArrayList<>()).add(new Member(study,
                        relation, record.get(columns.domain()).trim().toUpperCase(java.util.Locale.ROOT),
                        record.get(columns.variable()).trim().toUpperCase(java.util.Locale.ROOT), record, mapping));
            }
            return;
        }
        if (subjectId != null) {
            mappedByDomain.computeIfAbsent(mapping.domain(), k -> new ArrayList<>()).add(new Mapped(mapping.domain(), subjectId, record));
        }
    }

    boolean any() {
        return !relations.isEmpty();
    }

    Definitions definitions() {
        Map<String, List<Member>> copy = new LinkedHashMap<>();
        relations.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Definitions(copy);
    }

    /** Relations learnt by another session of the same delivery (its study-level rows are not mapped here). */
    void learn(Definitions learnt) {
        learnt.relations.forEach((k, v) -> {
            List<Member> members = relations.computeIfAbsent(k, x -> new ArrayList<>());
            v.forEach(m -> {
                if (!members.contains(m)) {
                    members.add(m);
                }
            });
        });
    }

    /**
     * The expanded rows, grouped by the relation instance they form (one subject, one linking value); only groups
     * with records of at least two of the relation's datasets.
     */
    List<List<Expanded>> expand() {
        List<List<Expanded>> groups = new ArrayList<>();
        for (List<Member> members : relations.values()) {
            Map<String, List<Expanded>> byInstance = new LinkedHashMap<>();
            Map<String, Set<String>> membersOf = new HashMap<>();
            for (Member m : members) {
                for (Mapped r : mappedByDomain.getOrDefault(m.domain(), List.of())) {
                    SourceRecord record = r.record();
                    if (!record.has(m.variable()) || !m.study().equals(record.get("STUDYID"))) {
                        continue;
                    }
                    String value = record.get(m.variable()).trim();
                    String instance = r.subjectId() + '\u0000' + value;
                    byInstance.computeIfAbsent(instance, k -> new ArrayList<>())
                            .add(new Expanded(m.mapping(), expandedRow(m, record, value), record, m.domain() + "." + m.variable()));
                    membersOf.computeIfAbsent(instance, k -> new LinkedHashSet<>()).add(m.domain() + "." + m.variable());
                }
            }
            byInstance.forEach((instance, rows) -> {
                if (membersOf.get(instance).size() >= 2) {
                    groups.add(rows);
                }
            });
        }
        return groups;
    }

    private static SourceRecord expandedRow(Member m, SourceRecord related, String value) {
        DatasetRelationColumns c = m.mapping().datasetRelations();
        Map<String, String> values = new HashMap<>(m.row().values());
        values.putAll(related.values()); // its id columns (AESEQ …), subject and study
        values.put(c.domain(), m.domain());
        values.put(c.variable(), m.variable());
        values.put(c.value(), value);
        values.put(c.relation(), m.relation() + "-" + value);
        return new SourceRecord(related.file(), related.row(), values);
    }
}
