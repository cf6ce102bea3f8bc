package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resources of one delivery, keyed by type and id. Records that map to the same identity
 * (the DM rows of a study and its TS rows all describe one ResearchStudy) build one resource together.
 */
public final class MappedResources {

    private final Map<String, MappedResource> byKey = new LinkedHashMap<>();

    MappedResource getOrCreate(RuntimeResourceDefinition definition, String id, String subjectId, String profile) {
        String key = definition.getName() + "/" + id;
        MappedResource existing = byKey.get(key);
        if (existing != null) {
            return existing;
        }
        Resource resource = (Resource) definition.newInstance();
        resource.setId(id);
        if (profile != null) {
            resource.getMeta().addProfile(profile);
        }
        MappedResource created = new MappedResource(resource, subjectId);
        byKey.put(key, created);
        return created;
    }

    /** Whether this delivery produced the resource {@code Type/id} (so far). */
    public boolean contains(String ref) {
        return byKey.containsKey(ref);
    }

    public Collection<MappedResource> all() {
        return byKey.values();
    }

    public int size() {
        return byKey.size();
    }

    /** Study-level resources (no subject), in the order they were first produced. */
    public List<MappedResource> studyLevel() {
        List<MappedResource> list = new ArrayList<>();
        for (MappedResource r : byKey.values()) {
            if (r.subjectId() == null) {
                list.add(r);
            }
        }
        return list;
    }

    /** Subject-level resources grouped by subject, each group in production order. */
    public Map<String, List<MappedResource>> bySubject() {
        Map<String, List<MappedResource>> map = new LinkedHashMap<>();
        for (MappedResource r : byKey.values()) {
            if (r.subjectId() != null) {
                map.computeIfAbsent(r.subjectId(), k -> new ArrayList<>()).add(r);
            }
        }
        return map;
    }
}
