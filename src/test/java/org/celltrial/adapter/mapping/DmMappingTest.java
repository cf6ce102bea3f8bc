package org.celltrial.adapter.mapping;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.DM_002;
import static org.celltrial.adapter.mapping.Fixtures.DM_003;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.ids;
import static org.celltrial.adapter.mapping.Fixtures.json;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.mapped;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.session;
import static org.celltrial.adapter.mapping.Fixtures.with;

class DmMappingTest {

    private static final String ID_001 = "NKAML-P1-NKAML-P1-01-001";

    @Test
    void dmRowBuildsStudySubjectAndPatient() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        assertThat(ids(s)).containsExactly("ResearchStudy/NKAML-P1", "Patient/" + ID_001, "ResearchSubject/" + ID_001);
    }

    @Test
    void patientHasUsubjidIdentifierGenderAndBirthDate() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        Patient p = resource(s, Patient.class, ID_001);

        assertThat(p.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(tuple("https://fhir.celltrial.org/sid/usubjid", "NKAML-P1-01-001"));
        assertThat(p.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("2011-08-14");
        assertThat(p.getBirthDateElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.DAY);
        assertThat(p.hasDeceased()).isFalse();
        assertThat(mapped(s, "Patient", ID_001).subjectId()).isEqualTo(ID_001);
    }

    @Test
    void partialBirthDateKeepsItsPrecision() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_001), "BRTHDTC", "2012-03"));
        map(s, "DM", with(dm(DM_003), "BRTHDTC", "2005"));

        Patient month = resource(s, Patient.class, ID_001);
        assertThat(month.getBirthDateElement().getValueAsString()).isEqualTo("2012-03");
        assertThat(month.getBirthDateElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.MONTH);
        Patient year = resource(s, Patient.class, "NKAML-P1-NKAML-P1-01-003");
        assertThat(year.getBirthDateElement().getValueAsString()).isEqualTo("2005");
        assertThat(year.getBirthDateElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.YEAR);
    }

    @Test
    void sexIsTranslatedCaseInsensitively() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_001), "SEX", "f"));
        map(s, "DM", with(dm(DM_003), "SEX", " Undifferentiated "));
        assertThat(resource(s, Patient.class, ID_001).getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(resource(s, Patient.class, "NKAML-P1-NKAML-P1-01-003").getGender()).isEqualTo(AdministrativeGender.OTHER);
    }

    @Test
    void deathFlagWithoutDateGivesDeceasedBoolean() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_002), "DTHDTC", ""));
        Patient p = resource(s, Patient.class, "NKAML-P1-NKAML-P1-01-002");
        assertThat(p.getDeceased()).isInstanceOf(BooleanType.class);
        assertThat(p.getDeceasedBooleanType().booleanValue()).isTrue();
    }

    @Test
    void deathDateReplacesTheFlagInDeceasedChoice() {
        MappingSession s = session();
        map(s, "DM", dm(DM_002));
        Patient p = resource(s, Patient.class, "NKAML-P1-NKAML-P1-01-002");
        assertThat(p.getDeceased()).isInstanceOf(DateTimeType.class);
        assertThat(p.getDeceasedDateTimeType().getValueAsString()).isEqualTo("2022-02-16");
        assertThat(p.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("2007-03");
    }

    @Test
    void deathFlagNIsNotMapped() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_001), "DTHFL", "N"));
        assertThat(resource(s, Patient.class, ID_001).hasDeceased()).isFalse();
    }

    @Test
    void researchSubjectLinksStudyAndPatient() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        ResearchSubject rs = resource(s, ResearchSubject.class, ID_001);

        assertThat(rs.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                tuple("https://fhir.celltrial.org/sid/usubjid", "NKAML-P1-01-001"),
                tuple("https://fhir.celltrial.org/sid/subjid", "001"));
        assertThat(rs.getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.OFFSTUDY);
        assertThat(rs.getPeriod().getStartElement().getValueAsString()).isEqualTo("2021-05-18");
        assertThat(rs.getPeriod().getEndElement().getValueAsString()).isEqualTo("2021-05-18");
        assertThat(rs.getStudy().getReference()).isEqualTo("ResearchStudy/NKAML-P1");
        assertThat(rs.getIndividual().getReference()).isEqualTo("Patient/" + ID_001);
        assertThat(rs.getAssignedArm()).isEqualTo("NKHAPLO");
        assertThat(rs.getActualArm()).isEqualTo("NKHAPLO");
    }

    @Test
    void subjectWithoutEndDateIsOnStudy() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_001), "RFENDTC", "", "ACTARMCD", ""));
        ResearchSubject rs = resource(s, ResearchSubject.class, ID_001);
        assertThat(rs.getStatus()).isEqualTo(ResearchSubject.ResearchSubjectStatus.ONSTUDY);
        assertThat(rs.getPeriod().hasEnd()).isFalse();
        assertThat(rs.hasActualArm()).isFalse();
    }

    @Test
    void allSubjectsShareOneStudyWithOneArmPerArmCode() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        map(s, "DM", dm(DM_002));
        map(s, "DM", with(dm(DM_003), "ARMCD", "CTRL", "ARM", "Haploidentical HSCT alone"));

        assertThat(Fixtures.all(s, ResearchStudy.class)).hasSize(1);
        ResearchStudy study = resource(s, ResearchStudy.class, "NKAML-P1");
        assertThat(study.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue)
                .containsExactly(tuple("https://fhir.celltrial.org/sid/studyid", "NKAML-P1"));
        assertThat(study.getStatus()).isEqualTo(ResearchStudy.ResearchStudyStatus.ACTIVE);
        assertThat(study.getArm()).extracting(ResearchStudy.ResearchStudyArmComponent::getName,
                        ResearchStudy.ResearchStudyArmComponent::getDescription)
                .containsExactly(tuple("NKHAPLO", "Haploidentical HSCT plus donor NK cells on day +7"),
                        tuple("CTRL", "Haploidentical HSCT alone"));
        assertThat(mapped(s, "ResearchStudy", "NKAML-P1").sources()).extracting(SourceRecord::row)
                .containsExactly(1, 1, 1).hasSize(3);
    }

    @Test
    void theStudyIsStudyLevelEvenWhenDmCreatesIt() {
        // no TS in the delivery: the ResearchStudy is still shared, never part of the first subject's group
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        map(s, "DM", dm(DM_003));
        assertThat(mapped(s, "ResearchStudy", "NKAML-P1").subjectId()).isNull();
        assertThat(s.result().studyLevel()).extracting(r -> r.resource().fhirType()).containsExactly("ResearchStudy");
        assertThat(s.result().bySubject()).containsOnlyKeys(ID_001, "NKAML-P1-NKAML-P1-01-003");
        assertThat(s.result().bySubject().get(ID_001)).extracting(r -> r.resource().fhirType())
                .containsExactly("Patient", "ResearchSubject");
    }

    @Test
    void sameRowGivesTheSameResourcesInEverySession() {
        MappingSession first = session();
        MappingSession second = session();
        map(first, "DM", dm(DM_002));
        map(second, "DM", dm(DM_002));
        assertThat(ids(second)).isEqualTo(ids(first));
        for (int i = 0; i < ids(first).size(); i++) {
            assertThat(json(second.result().all().stream().toList().get(i).resource()))
                    .isEqualTo(json(first.result().all().stream().toList().get(i).resource()));
        }
    }

    @Test
    void untranslatableSexNamesColumnAndValueAndKeepsNothing() {
        MappingSession s = session();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "DM", with(dm(DM_001), "SEX", "X")));
        assertThat(e.column()).isEqualTo("SEX");
        assertThat(e.getMessage()).contains("'X'").contains("sex").contains("F, FEMALE, INTERSEX, M, MALE, U, UNDIFFERENTIATED, UNKNOWN");
        assertThat(s.result().all()).isEmpty();
    }

    @Test
    void aFailedDmRowDefinesNoSubject() {
        MappingSession s = session();
        catchThrowableOfType(RecordMappingException.class, () -> map(s, "DM", with(dm(DM_003), "SEX", "X")));
        SourceRecord pr = Fixtures.row("pr.csv", 6, Fixtures.PR_HEADER,
                "NKAML-P1,PR,NKAML-P1-01-003,2,NK CELL INFUSION,CELLULAR THERAPY,CELL THERAPY,Y,2022-01-25T09:45,2022-01-25T10:20,1,1");
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> map(s, "PR", pr));
        assertThat(e.column()).isEqualTo("USUBJID");
        assertThat(s.result().all()).isEmpty();
    }

    @Test
    void missingSubjidIsRequired() {
        MappingSession s = session();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "DM", with(dm(DM_001), "SUBJID", "")));
        assertThat(e.column()).isEqualTo("SUBJID");
        assertThat(e.getMessage()).contains("required value is missing");
        assertThat(s.result().all()).isEmpty();
    }

    @Test
    void malformedReferenceStartIsRejected() {
        MappingSession s = session();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "DM", with(dm(DM_001), "RFSTDTC", "18/05/2021")));
        assertThat(e.column()).isEqualTo("RFSTDTC");
        assertThat(e.getMessage()).contains("18/05/2021");
        assertThat(s.result().all()).isEmpty();
    }

    @Test
    void malformedBirthDateIsRejected() {
        MappingSession s = session();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "DM", with(dm(DM_001), "BRTHDTC", "2011-02-30")));
        assertThat(e.column()).isEqualTo("BRTHDTC");
    }
}
