package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.CONCEPTS;
import static org.celltrial.adapter.mapping.Fixtures.DM_001;
import static org.celltrial.adapter.mapping.Fixtures.EX_HEADER;
import static org.celltrial.adapter.mapping.Fixtures.SNOMED;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY;
import static org.celltrial.adapter.mapping.Fixtures.STUDY_DAY_END;
import static org.celltrial.adapter.mapping.Fixtures.UCUM;
import static org.celltrial.adapter.mapping.Fixtures.WORKFLOW_STUDY;
import static org.celltrial.adapter.mapping.Fixtures.dm;
import static org.celltrial.adapter.mapping.Fixtures.extension;
import static org.celltrial.adapter.mapping.Fixtures.map;
import static org.celltrial.adapter.mapping.Fixtures.resource;
import static org.celltrial.adapter.mapping.Fixtures.row;
import static org.celltrial.adapter.mapping.Fixtures.session;
import static org.celltrial.adapter.mapping.Fixtures.with;

class ExMappingTest {

    private static final SourceRecord FLUDARABINE = row("EX.csv", 1, EX_HEADER,
            "NKAML-P1,EX,NKAML-P1-01-001,1,FLUDARABINE,CONDITIONING,30,mg/m2,INJECTION,INTRAVENOUS,,2021-05-05,2021-05-09,-13,-9");
    private static final SourceRecord BUSULFAN = row("EX.csv", 2, EX_HEADER,
            "NKAML-P1,EX,NKAML-P1-01-001,2,BUSULFAN,CONDITIONING,3.2,mg/kg,INJECTION,INTRAVENOUS,,2021-05-06,2021-05-09,-12,-9");
    private static final SourceRecord NK_CELLS = row("EX.csv", 3, EX_HEADER,
            "NKAML-P1,EX,NKAML-P1-01-001,3,HAPLOIDENTICAL NK CELLS,CELL THERAPY,1,10^6 cells/kg,SUSPENSION,INTRAVENOUS,NKL-2101,2021-05-18T10:30,2021-05-18T11:05,1,1");

    private static final String ID = "NKAML-P1-NKAML-P1-01-001-EX-";

    private static MappingSession withSubject() {
        MappingSession s = session();
        map(s, "DM", dm(DM_001));
        return s;
    }

    @Test
    void nkCellDoseIsAUcumQuantity() {
        MappingSession s = withSubject();
        map(s, "EX", NK_CELLS);
        MedicationAdministration ma = resource(s, MedicationAdministration.class, ID + "3");

        Quantity dose = ma.getDosage().getDose();
        assertThat(dose.getValue()).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(dose.getUnit()).isEqualTo("10^6 cells/kg");
        assertThat(dose.getSystem()).isEqualTo(UCUM);
        assertThat(dose.getCode()).isEqualTo("10*6/kg");
    }

    @Test
    void routeProductLotAndPeriod() {
        MappingSession s = withSubject();
        map(s, "EX", NK_CELLS);
        MedicationAdministration ma = resource(s, MedicationAdministration.class, ID + "3");

        assertThat(ma.getDosage().getRoute().getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay)
                .containsExactly(tuple(SNOMED, "47625008", "Intravenous route"));
        assertThat(ma.getDosage().getRoute().getText()).isEqualTo("INTRAVENOUS");
        assertThat(((StringType) extension(ma, "https://fhir.celltrial.org/StructureDefinition/product-lot").getValue())
                .getValue()).isEqualTo("NKL-2101");
        assertThat(ma.getMedicationCodeableConcept().getCoding()).extracting(Coding::getSystem, Coding::getCode)
                .containsExactly(tuple(CONCEPTS, "nk-cells-il2-expanded-haplo"));
        assertThat(ma.getMedicationCodeableConcept().getText()).isEqualTo("HAPLOIDENTICAL NK CELLS");
        assertThat(ma.getEffectivePeriod().getStartElement().getValueAsString()).isEqualTo("2021-05-18T10:30:00Z");
        assertThat(ma.getEffectivePeriod().getEndElement().getValueAsString()).isEqualTo("2021-05-18T11:05:00Z");
        assertThat(((IntegerType) extension(ma, STUDY_DAY).getValue()).getValue()).isEqualTo(1);
        assertThat(((IntegerType) extension(ma, STUDY_DAY_END).getValue()).getValue()).isEqualTo(1);
        assertThat(ma.getStatus()).isEqualTo(MedicationAdministration.MedicationAdministrationStatus.COMPLETED);
        assertThat(ma.getCategory().getText()).isEqualTo("CELL THERAPY");
        assertThat(ma.getSubject().getReference()).isEqualTo("Patient/NKAML-P1-NKAML-P1-01-001");
        assertThat(((Reference) extension(ma, WORKFLOW_STUDY).getValue()).getReference()).isEqualTo("ResearchStudy/NKAML-P1");
        assertThat(ma.getIdentifierFirstRep().getValue()).isEqualTo("NKAML-P1/NKAML-P1-01-001/EX/3");
    }

    @Test
    void conditioningDrugsUseRxNormAndDecimalDoses() {
        MappingSession s = withSubject();
        map(s, "EX", FLUDARABINE);
        map(s, "EX", BUSULFAN);
        MedicationAdministration bu = resource(s, MedicationAdministration.class, ID + "2");

        assertThat(bu.getMedicationCodeableConcept().getCodingFirstRep().getSystem())
                .isEqualTo("http://www.nlm.nih.gov/research/umls/rxnorm");
        assertThat(bu.getMedicationCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("1151374");
        assertThat(bu.getDosage().getDose().getValue()).isEqualByComparingTo("3.2");
        assertThat(bu.getDosage().getDose().getCode()).isEqualTo("mg/kg");
        assertThat(bu.getEffectivePeriod().getStartElement().getValueAsString()).isEqualTo("2021-05-06");
        assertThat(bu.getExtensionsByUrl("https://fhir.celltrial.org/StructureDefinition/product-lot")).isEmpty();
        assertThat(resource(s, MedicationAdministration.class, ID + "1").getDosage().getDose().getCode()).isEqualTo("mg/m2");
    }

    @Test
    void noUnitMeansNoUcumSystem() {
        MappingSession s = withSubject();
        map(s, "EX", with(BUSULFAN, "EXDOSU", ""));
        Quantity dose = resource(s, MedicationAdministration.class, ID + "2").getDosage().getDose();
        assertThat(dose.getValue()).isEqualByComparingTo("3.2");
        assertThat(dose.hasSystem()).isFalse();
        assertThat(dose.hasCode()).isFalse();
    }

    @Test
    void nonNumericDoseIsRejectedAndKeepsNothing() {
        MappingSession s = withSubject();
        int before = s.result().size();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "EX", with(NK_CELLS, "EXDOSE", "1 million")));
        assertThat(e.column()).isEqualTo("EXDOSE");
        assertThat(e.getMessage()).contains("'1 million'").contains("not a number");
        assertThat(s.result().size()).isEqualTo(before);
        assertThat(Fixtures.all(s, MedicationAdministration.class)).isEmpty();
    }

    @Test
    void unknownUnitIsRejected() {
        MappingSession s = withSubject();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "EX", with(NK_CELLS, "EXDOSU", "cells")));
        assertThat(e.column()).isEqualTo("EXDOSU");
        assertThat(e.getMessage()).contains("'cells'").contains("ConceptMap/sdtm-exdosu");
    }

    @Test
    void unitAndRouteAreMatchedCaseInsensitively() {
        MappingSession s = withSubject();
        map(s, "EX", with(NK_CELLS, "EXDOSU", "10^6 CELLS/KG", "EXROUTE", "intravenous"));
        MedicationAdministration ma = resource(s, MedicationAdministration.class, ID + "3");
        assertThat(ma.getDosage().getDose().getCode()).isEqualTo("10*6/kg");
        assertThat(ma.getDosage().getDose().getUnit()).isEqualTo("10^6 CELLS/KG");
        assertThat(ma.getDosage().getRoute().getCodingFirstRep().getCode()).isEqualTo("47625008");
    }

    @Test
    void nonIntegerStudyDayIsRejected() {
        MappingSession s = withSubject();
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> map(s, "EX", with(NK_CELLS, "EXSTDY", "1.5")));
        assertThat(e.column()).isEqualTo("EXSTDY");
        assertThat(e.getMessage()).contains("whole number");
    }
}
