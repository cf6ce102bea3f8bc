package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;

/** A resource built from one or more source records, with the subject it belongs to (null: study level). */
public final class MappedResource {

    private final Resource resource;
    private final String subjectId;
    private final List<SourceRecord> sources = new ArrayList<>(2);

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

    void addSource(SourceRecord record) {
        if (sources.isEmpty() || sources.get(sources.size() - 1) != record) {
            sources.add(record);
        }
    }
}
