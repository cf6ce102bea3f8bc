package org.celltrial.adapter.mapping;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.AE_HEADER;
import static org.celltrial.adapter.mapping.Fixtures.DM_003;
import static org.celltrial.adapter.mapping.Fixtures.NCIT;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY_END;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.extension;
import static org.celltrial.adapter.mapping.Fixtures.ids;
import static org.celltrial.adapter.mapping.Fixtures.json;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.row;
import static org.celltrial.adapter.mapping.Fixtures.session;
import static org.celltrial.adapter.mapping.Fixtures.with;

class AeMappingTest {

    private static final String CTCAE = "https://fhir.celltrial.org/StructureDefinition/ctcae-grade";
    private static final String END_DATE = "https://fhir.celltrial.org/StructureDefinition/ae-end-date";
    private static final String ID = "NKAML-P1-NKAML-P1-01-003-AE-1";

    private static final SourceRecord FEBRILE_NEUTROPENIA = row("ae.csv", 5, AE_HEADER,
            "NKAML-P1,AE,NKAML-P1-01-003,1,Febrile neutropenia,Febrile neutropenia,Blood and lymphatic system disorders,SEVERE,Y,3,NOT RELATED,DOSE NOT CHANGED,RECOVERED/RESOLVED,2022-01-21,2022-01-24,-4,-1");

    private static MappingSession withSubject() {
        MappingSession s = session();
        map(s, "DM", dm(DM_003));
        return s;
    }

    private static AdverseEvent mapAe(SourceRecord record) {
        MappingSession s = withSubject();
        map(s, "AE", record);
        return resource(s, AdverseEvent.class, ID);
    }

    @Test
    void ctcaeGradeIsAnNcitExtension() {
        AdverseEvent ae = mapAe(FEBRILE_NEUTROPENIA);
        CodeableConcept grade = (CodeableConcept) extension(ae, CTCAE).getValue();
        assertThat(grade.getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(tuple(NCIT, "C41340", "Grade 3 Severe Adverse Event"));
        assertThat(grade.getText()).isEqualTo("Grade 3");
    }

    @Test
    void causalityRelatesToTheStudyTreatment() {
        AdverseEvent ae = mapAe(FEBRILE_NEUTROPENIA);
        assertThat(ae.getSuspectEntity()).singleElement().satisfies(suspect -> {
            assertThat(suspect.getInstance().getDisplay()).isEqualTo("Study treatment");
            assertThat(suspect.getInstance().hasReference()).isFalse();
            assertThat(suspect.getCausality()).singleElement().satisfies(c -> {
                assertThat(c.getAssessment().getCoding()).extracting(Coding::getSystem, Coding::getCode)
                        .containsExactly(tuple(NCIT, "C53256"));
                assertThat(c.getProductRelatedness()).isEqualTo("NOT RELATED");
            });
        });
    }

    @Test
    void seriousnessSeverityAndOutcome() {
        AdverseEvent ae = mapAe(FEBRILE_NEUTROPENIA);
        assertThat(ae.getSeriousness().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                tuple("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "Serious"));
        assertThat(ae.getSeverity().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                tuple("http://terminology.hl7.org/CodeSystem/adverse-event-severity", "severe"));
        assertThat(ae.getOutcome().getCoding()).extracting(Coding::getSystem, Coding::getCode).containsExactly(
                tuple("http://terminology.hl7.org/CodeSystem/adverse-event-outcome", "resolved"));
    }

    @Test
    void termDatesStudyDaysAndLinks() {
        AdverseEvent ae = mapAe(FEBRILE_NEUTROPENIA);
        assertThat(ae.getEvent().getText()).isEqualTo("Febrile neutropenia");
        assertThat(ae.getActuality()).isEqualTo(AdverseEvent.AdverseEventActuality.ACTUAL);
        assertThat(ae.getDateElement().getValueAsString()).isEqualTo("2022-01-21");
        assertThat(((DateTimeType) extension(ae, END_DATE).getValue()).getValueAsString()).isEqualTo("2022-01-24");
        assertThat(((IntegerType) extension(ae, STUDY_DAY).getValue()).getValue()).isEqualTo(-4);
        assertThat(((IntegerType) extension(ae, STUDY_DAY_END).getValue()).getValue()).isEqualTo(-1);
        assertThat(ae.getSubject().getReference()).isEqualTo("Patient/NKAML-P1-NKAML-P1-01-003");
        assertThat(ae.getStudy()).extracting(r -> r.getReference()).containsExactly("ResearchStudy/NKAML-P1");
        assertThat(ae.getIdentifier().getSystem()).isEqualTo("https://fhir.celltrial.org/sid/sdtm-record");
        assertThat(ae.getIdentifier().getValue()).isEqualTo("NKAML-P1/NKAML-P1-01-003/AE/1");
    }

    @Test
    void partialEndDateKeepsMonthPrecision() {
        AdverseEvent ae = mapAe(with(FEBRILE_NEUTROPENIA, "AEENDTC", "2022-06", "AEENDY", ""));
        DateTimeType end = (DateTimeType) extension(ae, END_DATE).getValue();
        assertThat(end.getValueAsString()).isEqualTo("2022-06");
        assertThat(end.getPrecision()).isEqualTo(TemporalPrecisionEnum.MONTH);
        assertThat(ae.getExtensionsByUrl(STUDY_DAY_END)).isEmpty();
    }

    @Test
    void ongoingEventHasNoEndDate() {
        AdverseEvent ae = mapAe(with(FEBRILE_NEUTROPENIA, "AEENDTC", "", "AEENDY", "",
                "AEOUT", "NOT RECOVERED/NOT RESOLVED"));
        assertThat(ae.getExtensionsByUrl(END_DATE)).isEmpty();
        assertThat(ae.getOutcome().getCoding()).extracting(Coding::getCode).containsExactly("ongoing");
    }

    @Test
    void startDateFromStudyDayWhenAestdtcIsEmpty() {
        AdverseEvent ae = mapAe(with(FEBRILE_NEUTROPENIA, "AESTDTC", ""));
        assertThat(ae.getDateElement().getValueAsString()).isEqualTo("2022-01-21");
    }

    @Test
    void withoutRelationshipThereIsNoSuspectEntity() {
        AdverseEvent ae = mapAe(with(FEBRILE_NEUTROPENIA, "AEREL", "", "AETOXGR", ""));
        assertThat(ae.hasSuspectEntity()).isFalse();
        assertThat(ae.getExtensionsByUrl(CTCAE)).isEmpty();
    }

    @Test
    void controlledTermsAreMatchedCaseInsensitively() {
        AdverseEvent ae = mapAe(with(FEBRILE_NEUTROPENIA, "AESEV", "moderate", "AESER", "n", "AEREL", "possibly related"));
        assertThat(ae.getSeverity().getCodingFirstRep().getCode()).isEqualTo("moderate");
        assertThat(ae.getSeriousness().getCodingFirstRep().getCode()).isEqualTo("Non-serious");
        assertThat(ae.getSuspectEntityFirstRep().getCausalityFirstRep().getAssessment().getCodingFirstRep().getCode())
                .isEqualTo("C53258");
    }

    @Test
    void untranslatableCausalityIsKeptAsTextAndFlagged() {
        MappingSession s = withSubject();
        java.util.List<DataQualityIssue> issues = Fixtures.mapWithIssues(s, "AE", with(FEBRILE_NEUTROPENIA, "AEREL", "Related to study drug"));
        assertThat(issues).containsExactly(new DataQualityIssue("unmapped-term", "AEREL", "Related to study drug",
                "https://fhir.celltrial.org/ConceptMap/sdtm-aerel", "AdverseEvent.suspectEntity[0].causality[0].assessment"));
        AdverseEvent ae = resource(s, AdverseEvent.class, ID);
        CodeableConcept assessment = ae.getSuspectEntityFirstRep().getCausalityFirstRep().getAssessment();
        assertThat(assessment.getText()).isEqualTo("Related to study drug");
        assertThat(assessment.getCoding()).isEmpty();
        org.hl7.fhir.r4.model.Extension flag = ae.getExtensionByUrl(DataQualityIssue.EXTENSION);
        assertThat(flag.getExtensionString("variable")).isEqualTo("AEREL");
        assertThat(flag.getExtensionString("value")).isEqualTo("Related to study drug");
        assertThat(ae.getMeta().getTag(DataQualityIssue.SYSTEM, "unmapped-term")).isNotNull();
    }

    @Test
    void untranslatableSeverityOrOutcomeUnderARequiredBindingStaysOnlyInTheFlag() {
        MappingSession s = withSubject();
        java.util.List<DataQualityIssue> issues = Fixtures.mapWithIssues(s, "AE", with(FEBRILE_NEUTROPENIA, "AEOUT", "Resolved, no sequelae", "AESEV", "VERY BAD"));
        assertThat(issues).extracting(DataQualityIssue::variable, DataQualityIssue::element)
                .containsExactly(tuple("AESEV", "AdverseEvent.severity"), tuple("AEOUT", "AdverseEvent.outcome"));
        AdverseEvent ae = resource(s, AdverseEvent.class, ID);
        assertThat(ae.hasOutcome()).isFalse();
        assertThat(ae.hasSeverity()).isFalse();
        assertThat(ae.getExtensionsByUrl(DataQualityIssue.EXTENSION)).extracting(x -> x.getExtensionString("value"))
                .containsExactly("VERY BAD", "Resolved, no sequelae");
    }

    @Test
    void matchingIgnoresCaseAndWhitespaceAndKnowsNciCodes() {
        MappingSession s = withSubject();
        assertThat(Fixtures.mapWithIssues(s, "AE", with(FEBRILE_NEUTROPENIA, "AESEV", "  mod erate "))).isEmpty();
        assertThat(resource(s, AdverseEvent.class, ID).getSeverity().getCodingFirstRep().getCode()).isEqualTo("moderate");
    }

    @Test
    void unknownGradeIsRejected() {
        MappingSession s = withSubject();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "AE", with(FEBRILE_NEUTROPENIA, "AETOXGR", "6")));
        assertThat(e.column()).isEqualTo("AETOXGR");
    }

    @Test
    void emptyTermIsAMissingRequiredValue() {
        MappingSession s = withSubject();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "AE", with(FEBRILE_NEUTROPENIA, "AETERM", "  ".trim())));
        assertThat(e.column()).isEqualTo("AETERM");
        assertThat(e.getMessage()).contains("required value is missing");
    }

    @Test
    void aFailedRecordLeavesNothingBehind() {
        MappingSession s = withSubject();
        String before = ids(s).toString();
        String patientBefore = json(s.result().all().stream()
                .filter(r -> r.resource().fhirType().equals("Patient")).findFirst().orElseThrow().resource());

        // the bad value (a grade, which on-unmapped: reject keeps an error) comes after most rules: they were prepared
        assertThat(catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "AE", with(FEBRILE_NEUTROPENIA, "AETOXGR", "7")))).isNotNull();
        assertThat(ids(s).toString()).isEqualTo(before);
        assertThat(json(s.result().all().stream()
                .filter(r -> r.resource().fhirType().equals("Patient")).findFirst().orElseThrow().resource()))
                .isEqualTo(patientBefore);

        map(s, "AE", FEBRILE_NEUTROPENIA);
        assertThat(ids(s)).contains("AdverseEvent/" + ID);
        assertThat(Fixtures.mapped(s, "AdverseEvent", ID).sources()).containsExactly(FEBRILE_NEUTROPENIA);
    }

    @Test
    void malformedStartDateIsRejected() {
        MappingSession s = withSubject();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "AE", with(FEBRILE_NEUTROPENIA, "AESTDTC", "21/01/2022")));
        assertThat(e.column()).isEqualTo("AESTDTC");
        assertThat(Fixtures.all(s, AdverseEvent.class)).isEmpty();
    }
}
