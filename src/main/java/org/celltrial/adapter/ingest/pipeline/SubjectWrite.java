package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.fhir.ProvenanceFactory;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.celltrial.adapter.mapping.DataQualityIssue;
import org.celltrial.adapter.mapping.MappedResource;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one subject's part of a transaction holds (or the study-level resources'): its new or changed resources, the
 * inputs of its Provenance per study and subject, the source hashes of those resources, their untranslated values (the
 * terminology worklist), and all of its records (those not failed end as stored). Resources unchanged since they were
 * stored are left out: same source records, same mapping, nothing to write.
 */
public record SubjectWrite(List<Resource> resources, Map<List<String>, List<ProvenanceFactory.Written>> provenance,
                           List<MessageStore.ResourceState> states, List<TermUseStore.TermUse> termUses,
                           Set<RecordState> records) {

    /** @param valid the subject's resources that passed validation; {@code records} all of its records */
    public static SubjectWrite of(List<MappedResource> valid, Set<RecordState> records, ChangedResources changes,
                                  DeliveryRun run) {
        List<Resource> toWrite = new ArrayList<>();
        // per study and subject (one subject per group; the study-level group may hold several studies)
        Map<List<String>, List<ProvenanceFactory.Written>> written = new LinkedHashMap<>();
        List<MessageStore.ResourceState> states = new ArrayList<>();
        List<TermUseStore.TermUse> uses = new ArrayList<>();
        for (MappedResource r : valid) {
            if (changes.unchanged(r)) {
                continue;
            }
            String ref = MapStage.ref(r);
            RecordState first = (RecordState) r.sources().get(0);
            String studyId = first.get("STUDYID");
            toWrite.add(r.resource());
            written.computeIfAbsent(Arrays.asList(studyId, r.subjectId()), k -> new ArrayList<>())
                    .add(new ProvenanceFactory.Written(r.resource(), r.sources()));
            // the domain that builds it (DM for a ResearchSubject that DS contributed to): only that domain's
            // re-delivery may retire it
            String domain = r.firstOwner() != null ? ((RecordState) r.firstOwner()).domain()
                    : r.contributedTo() != null ? r.contributedTo() : first.domain();
            states.add(new MessageStore.ResourceState(ref, studyId, domain, changes.sourceHash(r), run.deliveryId()));
            for (DataQualityIssue i : r.issues()) {
                uses.add(new TermUseStore.TermUse(ref, studyId, i.variable(), i.valueKey(), i.value(), i.translation(),
                        i.element(), run.deliveryId()));
            }
        }
        return new SubjectWrite(toWrite, written, states, uses, records);
    }

    /** A refused transaction rolled back, but HAPI had already given the resources a version: take it off again. */
    void forgetAttempt() {
        for (Resource r : resources) {
            r.setId(r.fhirType() + "/" + r.getIdPart());
            r.getMeta().setVersionId(null);
            r.getMeta().setLastUpdated(null);
        }
    }
}
