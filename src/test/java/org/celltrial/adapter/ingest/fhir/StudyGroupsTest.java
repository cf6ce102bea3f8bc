package org.celltrial.adapter.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The Group-sync stage: a study's Group follows its ResearchSubjects, and is written only when it changes. */
class StudyGroupsTest {

    private final FhirContext ctx = FhirContext.forR4Cached();
    private final DaoRegistry daos = mock(DaoRegistry.class);
    @SuppressWarnings("unchecked")
    private final IFhirResourceDao<ResearchStudy> studyDao = mock(IFhirResourceDao.class);
    @SuppressWarnings("unchecked")
    private final IFhirResourceDao<ResearchSubject> subjectDao = mock(IFhirResourceDao.class);
    @SuppressWarnings("unchecked")
    private final IFhirResourceDao<Group> groupDao = mock(IFhirResourceDao.class);
    private final List<IBaseResource> subjects = new ArrayList<>();
    private Group stored;

    private static ResearchStudy study(String id) {
        ResearchStudy s = new ResearchStudy();
        s.setId(id);
        StudyTag.set(s, id);
        return s;
    }

    private static ResearchSubject subject(String patient, String study) {
        ResearchSubject s = new ResearchSubject();
        s.setId(patient);
        s.setIndividual(new Reference("Patient/" + patient));
        s.setStudy(new Reference("ResearchStudy/" + study));
        return s;
    }

    @BeforeEach
    @SuppressWarnings({"unchecked", "rawtypes"})
    void daos() {
        when(daos.getResourceDao("ResearchStudy")).thenReturn((IFhirResourceDao) studyDao);
        when(daos.getResourceDao("ResearchSubject")).thenReturn((IFhirResourceDao) subjectDao);
        when(daos.getResourceDao("Group")).thenReturn((IFhirResourceDao) groupDao);
        when(studyDao.search(any(SearchParameterMap.class), any(RequestDetails.class)))
                .thenAnswer(i -> new SimpleBundleProvider(List.of(study("NKAML-P1"))));
        when(subjectDao.search(any(SearchParameterMap.class), any(RequestDetails.class)))
                .thenAnswer(i -> new SimpleBundleProvider(new ArrayList<>(subjects)));
        when(groupDao.read(any(IIdType.class), any(RequestDetails.class))).thenAnswer(i -> {
            if (stored == null) {
                throw new ResourceNotFoundException("Group");
            }
            return stored.copy();
        });
        when(groupDao.update(any(Group.class), any(RequestDetails.class))).thenAnswer(i -> {
            // what the server gives back: the same content with an id, a version and a lastUpdated
            Group written = ((Group) i.getArgument(0)).copy();
            written.setId("Group/" + written.getIdPart() + "/_history/" + (stored == null ? 1 : 2));
            written.getMeta().setVersionId(stored == null ? "1" : "2").setLastUpdated(new java.util.Date());
            stored = written;
            return null;
        });
    }

    @Test
    void aStudysGroupHasItsSubjectsPatientsInIdOrder() {
        Group g = StudyGroups.groupOf(study("NKAML-P1"), List.of(subject("P-2", "NKAML-P1"), subject("P-1", "NKAML-P1")));
        assertThat(g.getIdPart()).isEqualTo("study-NKAML-P1");
        assertThat(g.getMember()).extracting(m -> m.getEntity().getReference()).containsExactly("Patient/P-1", "Patient/P-2");
        assertThat(g.getQuantity()).isEqualTo(2);
        assertThat(g.getType()).isEqualTo(Group.GroupType.PERSON);
        assertThat(g.getActual()).isTrue();
        assertThat(StudyTag.of(g)).isEqualTo("NKAML-P1");
        assertThat(g.getIdentifierFirstRep().getSystem()).isEqualTo(StudyGroups.IDENTIFIER_SYSTEM);
        assertThat(g.getIdentifierFirstRep().getValue()).isEqualTo("NKAML-P1");
        assertThat(g.getCharacteristicFirstRep().getValueReference().getReference()).isEqualTo("ResearchStudy/NKAML-P1");
    }

    @Test
    void aStudyIdThatIsNoFhirIdIsSanitised() {
        assertThat(StudyGroups.groupId("A B")).startsWith("study-A-B-").matches("[A-Za-z0-9\\-.]{1,64}");
        assertThat(StudyGroups.groupId("x".repeat(70))).hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void aSubjectWhoseIndividualIsNoPatientIsNoMember() {
        ResearchSubject odd = subject("P-1", "S");
        odd.setIndividual(new Reference("Group/elsewhere"));
        assertThat(StudyGroups.groupOf(study("S"), List.of(odd)).getMember()).isEmpty();
    }

    @Test
    void theGroupIsWrittenWhenMissingOrChangedAndNotOtherwise() {
        StudyGroups groups = new StudyGroups(ctx, daos);
        subjects.add(subject("P-1", "NKAML-P1"));
        subjects.add(subject("P-2", "NKAML-P1"));
        assertThat(groups.syncAll()).isEqualTo(1);
        assertThat(stored.getMeta().getVersionId()).isEqualTo("1");

        // the same subjects (a re-delivery of the same data): nothing written
        assertThat(groups.syncAll()).isZero();
        verify(groupDao, org.mockito.Mockito.times(1)).update(any(Group.class), any(RequestDetails.class));

        // a subject retired (its ResearchSubject deleted): the Patient leaves the Group
        subjects.remove(1);
        assertThat(groups.syncAll()).isEqualTo(1);
        ArgumentCaptor<Group> written = ArgumentCaptor.forClass(Group.class);
        verify(groupDao, org.mockito.Mockito.times(2)).update(written.capture(), any(RequestDetails.class));
        assertThat(written.getValue().getMember()).extracting(m -> m.getEntity().getReference()).containsExactly("Patient/P-1");
        assertThat(written.getValue().getQuantity()).isEqualTo(1);
    }

    @Test
    void aPatientWhoseDeleteConflictsWithItsStudyGroupLeavesTheGroupAndTheDeleteIsTriedAgain() {
        StudyGroups groups = new StudyGroups(ctx, daos);
        stored = StudyGroups.groupOf(study("NKAML-P1"), List.of(subject("P-1", "NKAML-P1"), subject("P-2", "NKAML-P1")));
        stored.setId("Group/study-NKAML-P1/_history/1");
        ca.uhn.fhir.jpa.api.model.DeleteConflictList conflicts = new ca.uhn.fhir.jpa.api.model.DeleteConflictList();
        conflicts.add(new ca.uhn.fhir.jpa.api.model.DeleteConflict(new ca.uhn.fhir.model.primitive.IdDt("Group/study-NKAML-P1"),
                "Group.member.entity", new ca.uhn.fhir.model.primitive.IdDt("Patient/P-2")));
        assertThat(groups.releaseDeletedMembers(conflicts).getShouldRetryCount()).isPositive();
        assertThat(stored.getMember()).extracting(m -> m.getEntity().getReference()).containsExactly("Patient/P-1");
        assertThat(stored.getQuantity()).isEqualTo(1);

        // a conflict with anything else is left to HAPI (the delete is refused)
        ca.uhn.fhir.jpa.api.model.DeleteConflictList other = new ca.uhn.fhir.jpa.api.model.DeleteConflictList();
        other.add(new ca.uhn.fhir.jpa.api.model.DeleteConflict(new ca.uhn.fhir.model.primitive.IdDt("Procedure/x"),
                "Procedure.subject", new ca.uhn.fhir.model.primitive.IdDt("Patient/P-1")));
        other.add(new ca.uhn.fhir.jpa.api.model.DeleteConflict(new ca.uhn.fhir.model.primitive.IdDt("Group/someone-elses"),
                "Group.member.entity", new ca.uhn.fhir.model.primitive.IdDt("Patient/P-1")));
        assertThat(groups.releaseDeletedMembers(other)).isNull();
    }

    @Test
    void aStoredGroupWithOtherMetaButTheSameContentIsNotRewritten() {
        StudyGroups groups = new StudyGroups(ctx, daos);
        subjects.add(subject("P-1", "NKAML-P1"));
        subjects.add(subject("P-2", "NKAML-P1"));
        stored = StudyGroups.groupOf(study("NKAML-P1"), List.of(subject("P-1", "NKAML-P1"), subject("P-2", "NKAML-P1")));
        stored.getMeta().setVersionId("7");
        assertThat(groups.syncAll()).as("same content, other meta").isZero();
        verify(groupDao, never()).update(any(Group.class), any(RequestDetails.class));
    }
}
