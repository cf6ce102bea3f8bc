package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.RuntimeResourceDefinition;

import java.util.ArrayList;
import java.util.List;

/** How one source record becomes (part of) one FHIR resource of a given type and id. */
public final class ResourceRule {

    private final RuntimeResourceDefinition definition;
    private final Template id;
    private final Condition when;
    private final String profile;
    private final List<FieldRule> rules;
    private final boolean perSubject;
    private final String contributesTo;

    /**
     * @param subject the domain's subject key template, or null for a study-level domain. A resource whose id
     *                does not use every column of the subject key (the ResearchStudy "{STUDYID}" built from DM
     *                rows) is shared by the subjects, so it is study-level: it belongs to no subject's group.
     */
    ResourceRule(RuntimeResourceDefinition definition, Template id, Condition when, String profile, List<FieldRule> rules,
                 Template subject) {
        this(definition, id, when, profile, rules, subject, null);
    }

    /**
     * @param contributesTo the domain that builds the resource when this rule only adds to it (DS sets the status of
     *                      DM's ResearchSubject), or null when this domain builds it
     */
    ResourceRule(RuntimeResourceDefinition definition, Template id, Condition when, String profile, List<FieldRule> rules,
                 Template subject, String contributesTo) {
        this.contributesTo = contributesTo;
        this.definition = definition;
        this.id = id;
        this.when = when;
        this.profile = profile;
        this.rules = rules;
        this.perSubject = subject != null && id.columns().containsAll(subject.columns());
    }

    public String resourceType() {
        return definition.getName();
    }

    boolean perSubject() {
        return perSubject;
    }

    Template idTemplate() {
        return id;
    }

    record Prepared(ResourceRule rule, String id, List<FieldRule.Prepared> fields, List<DataQualityIssue> issues) {
    }

    Prepared prepare(RecordContext ctx) {
        if (when != null && !when.test(ctx.record())) {
            return null;
        }
        String resourceId = FhirIds.fromKey(id.render(ctx.record()));
        int issuesBefore = ctx.issues().size();
        List<FieldRule.Prepared> prepared = new ArrayList<>(rules.size());
        for (FieldRule rule : rules) {
            FieldRule.Prepared p = rule.prepare(ctx);
            if (p != null) {
                prepared.add(p);
            }
        }
        if (contributesTo != null && prepared.isEmpty()) {
            // a contribution that sets nothing (an epoch's COMPLETED passes ds.yaml's condition but sets no status)
            // is no contribution: kept, it would cost a read of the stored resource and an identical rewrite
            return null;
        }
        List<DataQualityIssue> issues = List.of();
        if (ctx.issues().size() > issuesBefore) {
            List<DataQualityIssue> mine = ctx.issues().subList(issuesBefore, ctx.issues().size());
            issues = new ArrayList<>(mine.size());
            for (DataQualityIssue i : mine) {
                issues.add(new DataQualityIssue(i.kind(), i.variable(), i.value(), i.translation(), resourceType() + "." + i.element()));
            }
            mine.clear();
            ctx.issues().addAll(issues);
        }
        return new Prepared(this, resourceId, prepared, issues);
    }

    void apply(MappedResources out, Prepared prepared, String subjectId, SourceRecord record) {
        MappedResource target = out.getOrCreate(definition, prepared.id(), perSubject ? subjectId : null, profile);
        if (target.sources().isEmpty() && record.has(StudyTag.STUDY_COLUMN)) {
            StudyTag.set(target.resource(), record.get(StudyTag.STUDY_COLUMN).trim());
        }
        target.addSource(record, contributesTo);
        for (FieldRule.Prepared field : prepared.fields()) {
            field.rule().apply(target.resource(), field);
        }
        for (DataQualityIssue issue : prepared.issues()) {
            target.flag(issue);
        }
    }
}
