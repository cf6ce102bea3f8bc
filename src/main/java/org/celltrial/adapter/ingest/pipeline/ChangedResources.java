package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.mapping.FhirIds;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.SourceRecord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which mapped resources are new or changed. A resource's source hash is the hash of the mapping version and the
 * content hashes of all its source records; equal to the hash stored with its current version means it was validated
 * and written from exactly these inputs before, so it is neither validated nor written again. Read-only once built:
 * the ingest workers share it.
 */
public final class ChangedResources {

    private final Map<String, String> sourceHash;
    private final Map<String, String> current;

    private ChangedResources(Map<String, String> sourceHash, Map<String, String> current) {
        this.sourceHash = sourceHash;
        this.current = current;
    }

    /** Hashes the resources and asks the message store for the stored hashes (one query per study). */
    public static ChangedResources of(Collection<MappedResource> resources, String mappingVersion, MessageStore store) {
        Set<String> studies = new HashSet<>();
        Map<String, String> sourceHash = sourceHashes(resources, mappingVersion, studies);
        return new ChangedResources(sourceHash, store.currentHashes(studies, sourceHash.keySet()));
    }

    /**
     * As {@link #of}, asking the store by reference (in lists of a few hundred) instead of per study: the streamed
     * ingest asks once per chunk of subjects, and a study's stored resources, walked per chunk, would cost time and
     * memory that grow with the study.
     */
    static ChangedResources byRef(Collection<MappedResource> resources, String mappingVersion, MessageStore store) {
        Map<String, String> sourceHash = sourceHashes(resources, mappingVersion, new HashSet<>());
        return new ChangedResources(sourceHash, store.currentHashes(sourceHash.keySet()));
    }

    private static Map<String, String> sourceHashes(Collection<MappedResource> resources, String mappingVersion,
                                                    Set<String> studies) {
        Map<String, String> sourceHash = new HashMap<>();
        for (MappedResource r : resources) {
            List<String> parts = new ArrayList<>(r.sources().size());
            for (SourceRecord s : r.sources()) {
                parts.add(((RecordState) s).hash());
                if (s.get("STUDYID") != null) {
                    studies.add(s.get("STUDYID"));
                }
            }
            Collections.sort(parts);
            sourceHash.put(MapStage.ref(r), FhirIds.sha256Hex(mappingVersion + "|" + String.join("|", parts)));
        }
        return sourceHash;
    }

    /** For tests and callers that know the stored hashes. */
    static ChangedResources of(Map<String, String> sourceHash, Map<String, String> current) {
        return new ChangedResources(Map.copyOf(sourceHash), Map.copyOf(current));
    }

    public String sourceHash(MappedResource r) {
        return sourceHash.get(MapStage.ref(r));
    }

    /** Stored before from the same source records and mapping. */
    public boolean unchanged(MappedResource r) {
        String ref = MapStage.ref(r);
        return sourceHash.get(ref).equals(current.get(ref));
    }
}
