package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.CE_HEADER;
import static org.celltrial.adapter.mapping.Fixtures.CONCEPTS;
import static org.celltrial.adapter.mapping.Fixtures.DM_003;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY;
import static org.celltrial.adapter.mapping.Fixtures.WORKFLOW_STUDY;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.extension;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.row;
import static org.celltrial.adapter.mapping.Fixtures.session;
import static org.celltrial.adapter.mapping.Fixtures.with;

class CeMappingTest {

    private static final SourceRecord ENGRAFTMENT = row("ce.csv", 7, CE_HEADER,
            "NKAML-P1,CE,NKAML-P1-01-003,1,NEUTROPHIL ENGRAFTMENT,Neutrophil engraftment,ENGRAFTMENT,Y,2022-02-01,8");
    private static final String ID = "NKAML-P1-NKAML-P1-01-003-CE-1";

    private static MappingSession withSubject() {
        MappingSession s = session();
        map(s, "DM", dm(DM_003));
        return s;
    }

    @Test
    void engraftmentIsAnObservationWithBooleanValue() {
        MappingSession s = withSubject();
        map(s, "CE", ENGRAFTMENT);
        Observation o = resource(s, Observation.class, ID);

        assertThat(o.getCode().getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(tuple(CONCEPTS, "neutrophil-engraftment", "Neutrophil engraftment"));
        assertThat(o.getCode().getText()).isEqualTo("NEUTROPHIL ENGRAFTMENT");
        assertThat(o.getValue()).isInstanceOf(BooleanType.class);
        assertThat(o.getValueBooleanType().booleanValue()).isTrue();
        assertThat(o.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(o.getCategory()).extracting(c -> c.getText()).containsExactly("ENGRAFTMENT");
        assertThat(o.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2022-02-01");
        assertThat(((IntegerType) extension(o, STUDY_DAY).getValue()).getValue()).isEqualTo(8);
        assertThat(o.getSubject().getReference()).isEqualTo("Patient/NKAML-P1-NKAML-P1-01-003");
        assertThat(((Reference) extension(o, WORKFLOW_STUDY).getValue()).getReference()).isEqualTo("ResearchStudy/NKAML-P1");
        assertThat(o.getIdentifier()).singleElement().satisfies(i -> {
            assertThat(i.getSystem()).isEqualTo("https://fhir.celltrial.org/sid/sdtm-record");
            assertThat(i.getValue()).isEqualTo("NKAML-P1/NKAML-P1-01-003/CE/1");
        });
    }

    @Test
    void notOccurredIsFalse() {
        MappingSession s = withSubject();
        map(s, "CE", with(ENGRAFTMENT, "CETERM", "Disease relapse", "CEOCCUR", "N", "CESTDTC", "", "CESTDY", ""));
        Observation o = resource(s, Observation.class, ID);
        assertThat(o.getValueBooleanType().booleanValue()).isFalse();
        assertThat(o.getCode().getCodingFirstRep().getCode()).isEqualTo("disease-relapse");
        assertThat(o.hasEffective()).isFalse();
    }

    @Test
    void effectiveDateFromStudyDay() {
        MappingSession s = withSubject();
        map(s, "CE", with(ENGRAFTMENT, "CESTDTC", ""));
        assertThat(resource(s, Observation.class, ID).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2022-02-01");
    }

    @Test
    void occurrenceMustBeYesOrNo() {
        MappingSession s = withSubject();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "CE", with(ENGRAFTMENT, "CEOCCUR", "MAYBE")));
        assertThat(e.column()).isEqualTo("CEOCCUR");
        assertThat(e.getMessage()).contains("'MAYBE'");
        assertThat(Fixtures.all(s, Observation.class)).isEmpty();
    }

    @Test
    void unknownEventIsKeptAsTextAndFlagged() {
        MappingSession s = withSubject();
        java.util.List<DataQualityIssue> issues = Fixtures.mapWithIssues(s, "CE", with(ENGRAFTMENT, "CETERM", "GRAFT FAILURE"));
        assertThat(issues).extracting(DataQualityIssue::variable, DataQualityIssue::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CETERM", "GRAFT FAILURE"));
        assertThat(issues.get(0).translation()).contains("ConceptMap/sdtm-ceterm");
        Observation o = Fixtures.all(s, Observation.class).get(0);
        assertThat(o.getCode().getText()).isEqualTo("GRAFT FAILURE");
        assertThat(o.getCode().getCoding()).isEmpty();
    }
}
