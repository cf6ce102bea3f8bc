package org.celltrial.adapter.mapping;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.CONCEPTS;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.DM_003;
import static org.celltrial.adapter.mapping.Fixtures.NCIT;
import static org.celltrial.adapter.mapping.Fixtures.PR_HEADER;
import static org.celltrial.adapter.mapping.Fixtures.SNOMED;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY_END;
import static org.celltrial.adapter.mapping.Fixtures.WORKFLOW_STUDY;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.extension;
import static org.celltrial.adapter.mapping.Fixtures.ids;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.mapped;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.row;
import static org.celltrial.adapter.mapping.Fixtures.session;
import static org.celltrial.adapter.mapping.Fixtures.with;

class PrMappingTest {

    private static final SourceRecord HSCT_001 = row("pr.csv", 1, PR_HEADER,
            "NKAML-P1,PR,NKAML-P1-01-001,1,HAPLOIDENTICAL HEMATOPOIETIC STEM CELL TRANSPLANTATION,HEMATOPOIETIC STEM CELL TRANSPLANTATION,TRANSPLANTATION,Y,2021-05-11,2021-05-11,-7,-7");
    private static final SourceRecord NK_001 = row("pr.csv", 2, PR_HEADER,
            "NKAML-P1,PR,NKAML-P1-01-001,2,NK CELL INFUSION,CELLULAR THERAPY,CELL THERAPY,Y,2021-05-18T10:30,2021-05-18T11:05,1,1");
    /** The planted quirk of nk-aml-haplo/pr.csv: no PRSTDTC, only PRSTDY. */
    private static final SourceRecord HSCT_003_NO_DATE = row("pr.csv", 5, PR_HEADER,
            "NKAML-P1,PR,NKAML-P1-01-003,1,HAPLOIDENTICAL HEMATOPOIETIC STEM CELL TRANSPLANTATION,HEMATOPOIETIC STEM CELL TRANSPLANTATION,TRANSPLANTATION,Y,,2022-01-18,-7,-7");

    private static MappingSession withSubject001() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        return s;
    }

    @Test
    void haploidenticalTransplantIsCodedWithSnomed() {
        MappingSession s = withSubject001();
        map(s, "PR", HSCT_001);
        Procedure p = resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-001-PR-1");

        assertThat(p.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                tuple(SNOMED, "234336002"), tuple(CONCEPTS, "haploidentical-hsct"));
        assertThat(p.getCode().getCodingFirstRep().getDisplay()).isEqualTo("Hemopoietic stem cell transplant");
        assertThat(p.getCode().getText()).isEqualTo("HAPLOIDENTICAL HEMATOPOIETIC STEM CELL TRANSPLANTATION");
        assertThat(p.getCategory().getText()).isEqualTo("TRANSPLANTATION");
        assertThat(p.getStatus()).isEqualTo(Procedure.ProcedureStatus.COMPLETED);
        assertThat(p.getSubject().getReference()).isEqualTo("Patient/NKAML-P1-NKAML-P1-01-001");
        assertThat(((Reference) extension(p, WORKFLOW_STUDY).getValue()).getReference()).isEqualTo("ResearchStudy/NKAML-P1");
        assertThat(p.getIdentifier()).singleElement().satisfies(i -> {
            assertThat(i.getSystem()).isEqualTo("https://fhir.celltrial.org/sid/sdtm-record");
            assertThat(i.getValue()).isEqualTo("NKAML-P1/NKAML-P1-01-001/PR/1");
        });
        assertThat(mapped(s, "Procedure", "NKAML-P1-NKAML-P1-01-001-PR-1").subjectId()).isEqualTo("NKAML-P1-NKAML-P1-01-001");
    }

    @Test
    void performedPeriodAndStudyDays() {
        MappingSession s = withSubject001();
        map(s, "PR", HSCT_001);
        Procedure p = resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-001-PR-1");

        assertThat(p.getPerformed()).isInstanceOf(Period.class);
        assertThat(p.getPerformedPeriod().getStartElement().getValueAsString()).isEqualTo("2021-05-11");
        assertThat(p.getPerformedPeriod().getEndElement().getValueAsString()).isEqualTo("2021-05-11");
        assertThat(((IntegerType) extension(p, STUDY_DAY).getValue()).getValue()).isEqualTo(-7);
        assertThat(((IntegerType) extension(p, STUDY_DAY_END).getValue()).getValue()).isEqualTo(-7);
    }

    @Test
    void infusionTimesGetSecondsAndTheConfiguredZone() {
        MappingSession s = withSubject001();
        map(s, "PR", NK_001);
        Procedure p = resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-001-PR-2");
        assertThat(p.getPerformedPeriod().getStartElement().getValueAsString()).isEqualTo("2021-05-18T10:30:00Z");
        assertThat(p.getPerformedPeriod().getEndElement().getValueAsString()).isEqualTo("2021-05-18T11:05:00Z");
        assertThat(p.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                tuple(CONCEPTS, "nk-cell-infusion"), tuple(NCIT, "C70601"));

        MappingSession tehran = new MappingEngine(Fixtures.mappings(), "+03:30").newSession(SubjectDirectory.NONE);
        map(tehran, "DM", dm(DM_001));
        map(tehran, "PR", NK_001);
        assertThat(resource(tehran, Procedure.class, "NKAML-P1-NKAML-P1-01-001-PR-2").getPerformedPeriod()
                .getStartElement().getValueAsString()).isEqualTo("2021-05-18T10:30:00+03:30");
    }

    @Test
    void missingStartDateIsComputedFromStudyDayAndReferenceStart() {
        // DM RFSTDTC 2022-01-25 is study day 1; day -7 is 7 days before it (there is no day 0): 2022-01-18
        MappingSession s = session();
        map(s, "DM", dm(DM_003));
        map(s, "PR", HSCT_003_NO_DATE);
        Procedure p = resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-003-PR-1");

        assertThat(p.getPerformedPeriod().getStartElement().getValueAsString()).isEqualTo("2022-01-18");
        assertThat(p.getPerformedPeriod().getStartElement().getPrecision()).isEqualTo(TemporalPrecisionEnum.DAY);
        assertThat(p.getPerformedPeriod().getEndElement().getValueAsString()).isEqualTo("2022-01-18");
        assertThat(((IntegerType) extension(p, STUDY_DAY).getValue()).getValue()).isEqualTo(-7);
    }

    @Test
    void positiveStudyDayCountsFromDayOne() {
        MappingSession s = session();
        map(s, "DM", dm(DM_003));
        map(s, "PR", with(HSCT_003_NO_DATE, "PRSTDY", "8", "PRENDTC", "", "PRENDY", "9"));
        Procedure p = resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-003-PR-1");
        assertThat(p.getPerformedPeriod().getStartElement().getValueAsString()).isEqualTo("2022-02-01");
        assertThat(p.getPerformedPeriod().getEndElement().getValueAsString()).isEqualTo("2022-02-02");
    }

    @Test
    void studyDayOfAStoredSubjectUsesItsStoredReferenceStart() {
        SubjectDirectory stored = id -> id.equals("NKAML-P1-NKAML-P1-01-003")
                ? Optional.of(new SubjectInfo(id, LocalDate.of(2022, 1, 25))) : Optional.empty();
        MappingSession s = new MappingEngine(Fixtures.mappings(), "Z").newSession(stored);
        map(s, "PR", HSCT_003_NO_DATE);
        assertThat(ids(s)).containsExactly("Procedure/NKAML-P1-NKAML-P1-01-003-PR-1");
        assertThat(resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-003-PR-1").getPerformedPeriod()
                .getStartElement().getValueAsString()).isEqualTo("2022-01-18");
    }

    @Test
    void studyDayWithoutReferenceStartIsRejectedNamingTheDateColumn() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_003), "RFSTDTC", "", "RFENDTC", ""));
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> map(s, "PR", HSCT_003_NO_DATE));
        assertThat(e.column()).isEqualTo("PRSTDTC");
        assertThat(e.getMessage()).contains("PRSTDY").contains("RFSTDTC");
        assertThat(Fixtures.all(s, Procedure.class)).isEmpty();
    }

    @Test
    void partialReferenceStartCannotDateAStudyDay() {
        MappingSession s = session();
        map(s, "DM", with(dm(DM_003), "RFSTDTC", "2022-01"));
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> map(s, "PR", HSCT_003_NO_DATE));
        assertThat(e.column()).isEqualTo("PRSTDTC");
    }

    @Test
    void studyDayZeroAndNonNumericStudyDayAreRejected() {
        MappingSession s = session();
        map(s, "DM", dm(DM_003));
        RecordMappingException zero = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "PR", with(HSCT_003_NO_DATE, "PRSTDY", "0")));
        assertThat(zero.column()).isEqualTo("PRSTDY");
        assertThat(zero.getMessage()).contains("no day 0");
        RecordMappingException text = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "PR", with(HSCT_003_NO_DATE, "PRSTDY", "minus seven")));
        assertThat(text.column()).isEqualTo("PRSTDY");
        assertThat(Fixtures.all(s, Procedure.class)).isEmpty();
    }

    @Test
    void notOccurredProcedureIsNotDone() {
        MappingSession s = withSubject001();
        map(s, "PR", with(HSCT_001, "PROCCUR", "N"));
        map(s, "PR", with(NK_001, "PROCCUR", ""));
        assertThat(resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-001-PR-1").getStatus())
                .isEqualTo(Procedure.ProcedureStatus.NOTDONE);
        assertThat(resource(s, Procedure.class, "NKAML-P1-NKAML-P1-01-001-PR-2").getStatus())
                .isEqualTo(Procedure.ProcedureStatus.COMPLETED);
    }

    @Test
    void unknownSubjectIsRejectedNamingUsubjid() {
        MappingSession s = session();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class, () -> map(s, "PR", HSCT_001));
        assertThat(e.column()).isEqualTo("USUBJID");
        assertThat(e.getMessage()).contains("unknown subject");
        assertThat(s.result().all()).isEmpty();
    }

    @Test
    void unknownProcedureIsKeptAsTextAndFlagged() {
        MappingSession s = withSubject001();
        java.util.List<DataQualityIssue> issues = Fixtures.mapWithIssues(s, "PR",
                with(HSCT_001, "PRTRT", "Haploidentical peripheral blood stem cell transplantation"));
        assertThat(issues).extracting(DataQualityIssue::variable).containsExactly("PRTRT");
        Procedure p = Fixtures.all(s, Procedure.class).get(0);
        assertThat(p.getCode().getText()).isEqualTo("Haploidentical peripheral blood stem cell transplantation");
        assertThat(p.getCode().getCoding()).isEmpty();
    }

    @Test
    void missingSequenceNumberIsRequired() {
        MappingSession s = withSubject001();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "PR", with(HSCT_001, "PRSEQ", "")));
        assertThat(e.column()).isEqualTo("PRSEQ");
    }
}
