package org.celltrial.adapter.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.celltrial.adapter.mapping.FhirIds;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.hl7.fhir.r4.model.ResearchSubject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * A Group per study, for Bulk Data {@code Group/[id]/$export}: id {@code study-<ResearchStudy id>}, an actual group of
 * persons whose members are the Patients with a current ResearchSubject in the study (a ResearchSubject retired by a
 * re-delivery is deleted, so its Patient leaves the Group), naming its study by identifier and characteristic and
 * carrying the study tag. Written only when its content changes, so a re-delivery of the same data leaves it alone.
 */
public class StudyGroups {

    /** The system of the Group's identifier, whose value is the study's STUDYID (its study tag). */
    public static final String IDENTIFIER_SYSTEM = "https://fhir.celltrial.org/sid/study-group";

    private final FhirContext ctx;
    private final DaoRegistry daos;

    public StudyGroups(FhirContext ctx, DaoRegistry daos) {
        this.ctx = ctx;
        this.daos = daos;
    }

    /** The most subjects (and studies) one sync reads; a study's Group holds them all in memory anyway. */
    static final int MAX_SEARCHED = 1_000_000;

    /** The Group id of a study (by its ResearchStudy id). */
    public static String groupId(String researchStudyId) {
        return FhirIds.fromKey("study-" + researchStudyId);
    }

    /** Brings every study's Group in step with its ResearchSubjects; returns how many Groups were written. */
    public int syncAll() {
        int written = 0;
        for (IBaseResource r : search("ResearchStudy", new SearchParameterMap())) {
            if (sync((ResearchStudy) r)) {
                written++;
            }
        }
        return written;
    }

    /** Writes the study's Group if it is missing or differs; true if written. */
    public boolean sync(ResearchStudy study) {
        String studyId = study.getIdElement().getIdPart();
        SearchParameterMap bySubject = new SearchParameterMap();
        bySubject.add(ResearchSubject.SP_STUDY, new ReferenceParam("ResearchStudy/" + studyId));
        List<ResearchSubject> subjects = new ArrayList<>();
        for (IBaseResource r : search("ResearchSubject", bySubject)) {
            subjects.add((ResearchSubject) r);
        }
        Group wanted = groupOf(study, subjects);
        @SuppressWarnings("unchecked")
        IFhirResourceDao<Group> groups = daos.getResourceDao("Group");
        Group stored;
        try {
            stored = groups.read(new IdType("Group", wanted.getIdPart()), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            stored = null;
        }
        if (stored != null && sameContent(stored, wanted)) {
            return false;
        }
        groups.update(wanted, new SystemRequestDetails());
        return true;
    }

    /**
     * A retired subject's Patient is deleted before the Group is brought in step ({@link ResourceRetirer} refuses to
     * delete what another resource refers to): when a delete conflicts with a study Group's members, the Patients are
     * taken out of the Group in the same transaction and the delete tried again. Other conflicts stay conflicts (and the
     * transaction, the Group's change with it, is rolled back).
     */
    @ca.uhn.fhir.interceptor.api.Hook(ca.uhn.fhir.interceptor.api.Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    public ca.uhn.fhir.jpa.delete.DeleteConflictOutcome releaseDeletedMembers(ca.uhn.fhir.jpa.api.model.DeleteConflictList conflicts) {
        java.util.Map<String, java.util.Set<String>> byGroup = new java.util.LinkedHashMap<>();
        for (ca.uhn.fhir.jpa.api.model.DeleteConflict c : conflicts) {
            var source = c.getSourceId();
            var target = c.getTargetId();
            if (source != null && "Group".equals(source.getResourceType()) && source.getIdPart() != null
                    && source.getIdPart().startsWith("study-") && target != null && "Patient".equals(target.getResourceType())) {
                byGroup.computeIfAbsent(source.getIdPart(), k -> new java.util.HashSet<>()).add("Patient/" + target.getIdPart());
            }
        }
        if (byGroup.isEmpty()) {
            return null;
        }
        @SuppressWarnings("unchecked")
        IFhirResourceDao<Group> groups = daos.getResourceDao("Group");
        byGroup.forEach((id, patients) -> {
            Group g = groups.read(new IdType("Group", id), new SystemRequestDetails());
            if (g.getMember().removeIf(m -> patients.contains(m.getEntity().getReferenceElement().toUnqualifiedVersionless().getValue()))) {
                g.setQuantity(g.getMember().size());
                groups.update(g, new SystemRequestDetails());
            }
        });
        return new ca.uhn.fhir.jpa.delete.DeleteConflictOutcome().setShouldRetryCount(5);
    }

    /** The Group a study's subjects make: members in id order, so that the same subjects give the same Group. */
    public static Group groupOf(ResearchStudy study, Collection<ResearchSubject> subjects) {
        String studyId = study.getIdElement().getIdPart();
        String tag = StudyTag.of(study);
        Group g = new Group();
        g.setId(groupId(studyId));
        if (tag != null) {
            StudyTag.set(g, tag);
        }
        g.addIdentifier().setSystem(IDENTIFIER_SYSTEM).setValue(tag != null ? tag : studyId);
        g.setActive(true);
        g.setType(Group.GroupType.PERSON);
        g.setActual(true);
        g.setName("Subjects of study " + (tag != null ? tag : studyId));
        g.addCharacteristic()
                .setCode(new CodeableConcept().setText("research study"))
                .setValue(new Reference("ResearchStudy/" + studyId))
                .setExclude(false);
        TreeSet<String> members = new TreeSet<>();
        for (ResearchSubject s : subjects) {
            if (s.getStatus() != null && "entered-in-error".equals(s.getStatus().toCode())) {
                continue;
            }
            IdType patient = new IdType(s.getIndividual().getReference());
            if ("Patient".equals(patient.getResourceType()) && patient.hasIdPart()) {
                members.add("Patient/" + patient.getIdPart());
            }
        }
        members.forEach(m -> g.addMember().setEntity(new Reference(m)));
        g.setQuantity(members.size());
        return g;
    }

    /** Same content, ignoring id and meta but for the study tag. */
    boolean sameContent(Group stored, Group wanted) {
        return comparable(stored).equals(comparable(wanted));
    }

    private String comparable(Group g) {
        Group c = g.copy();
        String tag = StudyTag.of(g);
        c.setMeta(null);
        c.setIdElement(null);
        return ctx.newJsonParser().encodeResourceToString(c) + "|" + tag;
    }

    private List<IBaseResource> search(String type, SearchParameterMap params) {
        // all of them: without a count, a synchronous search takes the page-size cap (celltrial.fhir.max-page-size,
        // HAPI's fetch-size maximum) as its limit and, with more matches, cannot give all its resources (HAPI-0464:
        // 700 subjects did); HAPI-COUPLING: SynchronousSearchSvcImpl sizes the result by the map's count
        params.setLoadSynchronousUpTo(MAX_SEARCHED);
        params.setCount(MAX_SEARCHED);
        IBundleProvider found = daos.getResourceDao(type).search(params, new SystemRequestDetails());
        if (found.size() == null) {
            throw new IllegalStateException("more than " + MAX_SEARCHED + " " + type + " resources to put in study Groups");
        }
        return found.getAllResources();
    }
}
