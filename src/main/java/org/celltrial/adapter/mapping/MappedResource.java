package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;

import java.util.ArrayList;
import java.util.List;

/** A resource built from one or more source records, with the subject it belongs to (null: study level). */
public final class MappedResource {

    private final Resource resource;
    private final String subjectId;
    private final List<SourceRecord> sources = new ArrayList<>(2);
    private List<DataQualityIssue> issues = List.of();
    private SourceRecord firstOwner;
    private String contributedTo;

    MappedResource(Resource resource, String subjectId) {
        this.resource = resource;
        this.subjectId = subjectId;
    }

    public Resource resource() {
        return resource;
    }

    public String subjectId() {
        return subjectId;
    }

    public List<SourceRecord> sources() {
        return sources;
    }

    /** Values of its records that our terminology did not translate (kept as text), for the worklist. */
    public List<DataQualityIssue> issues() {
        return issues;
    }

    /**
     * Marks the resource as carrying an untranslated value: a machine-readable extension with the variable, value,
     * translation and element, and a meta.tag that registries can search ({@code _tag=system|unmapped-term}).
     */
    void flag(DataQualityIssue issue) {
        if (issues.contains(issue)) {
            return;
        }
        if (issues.isEmpty()) {
            issues = new ArrayList<>(2);
            resource.getMeta().addTag(DataQualityIssue.SYSTEM, issue.kind(), "Source value kept as text: no translation");
        }
        issues.add(issue);
        if (resource instanceof DomainResource d) {
            Extension ext = d.addExtension().setUrl(DataQualityIssue.EXTENSION);
            ext.addExtension("kind", new CodeType(issue.kind()));
            ext.addExtension("variable", new StringType(issue.variable()));
            ext.addExtension("value", new StringType(issue.value()));
            ext.addExtension("translation", new UriType(issue.translation()));
            ext.addExtension("element", new StringType(issue.element()));
        }
    }

    void addSource(SourceRecord record, String contributesTo) {
        if (sources.isEmpty() || sources.get(sources.size() - 1) != record) {
            sources.add(record);
        }
        if (contributesTo == null) {
            if (firstOwner == null) {
                firstOwner = record;
            }
        } else {
            contributedTo = contributesTo;
        }
    }

    /**
     * The first record of the domain that builds this resource, or null when this delivery only contributed to it
     * (a DS-only delivery sets the status of the ResearchSubject that DM built): then the stored version's other
     * elements are kept ({@link #contributionOnly()}).
     */
    public SourceRecord firstOwner() {
        return firstOwner;
    }

    /** Only contributing records made it: what the owning domain gave it is in the stored version. */
    public boolean contributionOnly() {
        return firstOwner == null && contributedTo != null;
    }

    /** The domain that builds the resource, as the contributing mapping names it (null when none contributed). */
    public String contributedTo() {
        return contributedTo;
    }
}
