package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Age;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.celltrial.adapter.mapping.Fixtures.UCUM;
import static org.celltrial.adapter.mapping.Fixtures.extension;
import static org.celltrial.adapter.mapping.Fixtures.resource;

/** The sponsor variants of src/test/resources/sponsor-variants (see its README), each mapped as one delivery. */
class SponsorVariantsMappingTest {

    private static final String SD = "https://fhir.celltrial.org/StructureDefinition/";
    private static final String MDR = "http://terminology.hl7.org/CodeSystem/mdr";

    private static CdiscReferenceStudy.Result map(String variant) {
        CdiscReferenceStudy.Result result = CdiscReferenceStudy.map(Fixtures.mappings(),
                CdiscReferenceStudy.readCsvDirectory(Path.of("src/test/resources/sponsor-variants", variant)));
        System.out.println("sponsor variant " + variant + ":\n" + result.table());
        return result;
    }

    @Test
    void nonCtValuesAreKeptAsTextWithADataQualityFlag() {
        CdiscReferenceStudy.Result r = map("non-ct-values");
        assertThat(r.failures).isEmpty();
        MappingSession s = r.session;
        Patient p = resource(s, Patient.class, "SPX-101-SPX-101-001");
        assertThat(p.getGender()).isEqualTo(Enumerations.AdministrativeGender.MALE); // "Male": a CT synonym
        assertThat(resource(s, Patient.class, "SPX-101-SPX-101-002").getGender()).isEqualTo(Enumerations.AdministrativeGender.FEMALE);
        AdverseEvent ae = resource(s, AdverseEvent.class, "SPX-101-SPX-101-001-AE-1");
        assertThat(ae.getSeverity().getCodingFirstRep().getCode()).isEqualTo("mild");
        assertThat(ae.getSuspectEntityFirstRep().getCausalityFirstRep().getAssessment().getText()).isEqualTo("Definitely related");
        assertThat(ae.getSuspectEntityFirstRep().getCausalityFirstRep().getAssessment().hasCoding()).isFalse();
        assertThat(r.issues).extracting(DataQualityIssue::variable, DataQualityIssue::value)
                .contains(tuple("AEREL", "Definitely related"), tuple("AEACN", "none"), tuple("AEOUT", "Resolved"),
                        tuple("AESEV", "Grade 2"), tuple("AEOUT", "Ongoing"), tuple("RACE", "Other"));
        // lower-case CT values translate
        AdverseEvent ae2 = resource(s, AdverseEvent.class, "SPX-101-SPX-101-001-AE-2");
        assertThat(ae2.getOutcome().getCodingFirstRep().getCode()).isEqualTo("resolved");
        assertThat(ae2.getSeriousness().getCodingFirstRep().getCode()).isEqualTo("Non-serious");
        CodeableConcept action = (CodeableConcept) extension(ae2, SD + "ae-action-taken").getValue();
        assertThat(action.getCodingFirstRep().getCode()).isEqualTo("C49504");
    }

    @Test
    void verbatimTreatmentNamesLandAsText() {
        CdiscReferenceStudy.Result r = map("verbatim-treatments");
        // the one dose unit with no UCUM code is the only rejection (on-unmapped: reject, see mappings/README.md)
        assertThat(r.failures).extracting(f -> f.record().origin() + " " + f.column())
                .containsExactly("ex.csv row 4 EXDOSU");
        MappingSession s = r.session;
        Procedure pr = resource(s, Procedure.class, "CTX-7-CTX-7-01-001-PR-1");
        assertThat(pr.getCode().getText()).isEqualTo("Haploidentical hematopoietic stem cell transplant from mother (T-cell depleted)");
        MedicationAdministration nk = resource(s, MedicationAdministration.class, "CTX-7-CTX-7-01-001-EX-1");
        assertThat(nk.getMedicationCodeableConcept().getText()).isEqualTo("Expanded donor-derived NK cells (lot-specific)");
        Quantity dose = nk.getDosage().getDose();
        assertThat(dose.getCode()).isEqualTo("10*6/kg");
        assertThat(dose.getSystem()).isEqualTo(UCUM);
        MedicationAdministration flu = resource(s, MedicationAdministration.class, "CTX-7-CTX-7-01-001-EX-2");
        assertThat(flu.getDosage().getRoute().getCodingFirstRep().getCode()).isEqualTo("47625008"); // IV
        MedicationAdministration bu = resource(s, MedicationAdministration.class, "CTX-7-CTX-7-01-001-EX-3");
        assertThat(bu.getDosage().getRoute().getText()).isEqualTo("Intravenous drip");
        assertThat(r.issues).extracting(DataQualityIssue::variable).contains("EXTRT", "PRTRT", "EXROUTE");
    }

    @Test
    void naAndSasMissingValuesAreAbsentValues() {
        CdiscReferenceStudy.Result r = map("missing-values");
        // NA is a value in a coded column: AESER translates with on-unmapped: reject (seriousness must not be guessed)
        assertThat(r.failures).extracting(f -> f.record().origin() + " " + f.column()).containsExactly("ae.csv row 2 AESER");
        MappingSession s = r.session;
        Patient p = resource(s, Patient.class, "RNA-3-RNA-3-001");
        assertThat(p.hasBirthDate()).isFalse();
        assertThat(p.hasDeceased()).isFalse();
        assertThat(((Age) extension(p, SD + "subject-age").getValue()).getValue()).isEqualByComparingTo("61");
        MedicationAdministration ex = resource(s, MedicationAdministration.class, "RNA-3-RNA-3-002-EX-1");
        assertThat(ex.getDosage().getDose().getValue()).isEqualByComparingTo("100");
        Observation hgb = resource(s, Observation.class, "RNA-3-RNA-3-001-LB-1");
        assertThat(hgb.getValueQuantity().getValue()).isEqualByComparingTo("132");
        assertThat(hgb.getValueQuantity().getCode()).isEqualTo("g/L");
        assertThat(hgb.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("N");
        Observation notDone = resource(s, Observation.class, "RNA-3-RNA-3-001-LB-2");
        assertThat(notDone.getStatus()).isEqualTo(Observation.ObservationStatus.CANCELLED);
        assertThat(notDone.getDataAbsentReason().getText()).isEqualTo("Sample haemolysed");
        Observation below = resource(s, Observation.class, "RNA-3-RNA-3-002-LB-1");
        assertThat(below.getValueStringType().getValue()).isEqualTo("<50");
        assertThat(below.getReferenceRangeFirstRep().getLow().getValue()).isEqualByComparingTo("120");
    }

    @Test
    void ageWithoutBirthDate() {
        CdiscReferenceStudy.Result r = map("age-without-birthdate");
        // AGEU 'Y' has no UCUM unit: an age in an unknown unit is rejected (on-unmapped: reject)
        assertThat(r.failures).extracting(f -> f.record().origin() + " " + f.column()).containsExactly("dm.csv row 3 AGEU");
        MappingSession s = r.session;
        Patient p = resource(s, Patient.class, "AGE-9-AGE-9-001");
        assertThat(p.hasBirthDate()).isFalse();
        Age age = (Age) extension(p, SD + "subject-age").getValue();
        assertThat(age.getValue()).isEqualByComparingTo("34");
        assertThat(List.of(age.getSystem(), age.getCode(), age.getUnit())).containsExactly(UCUM, "a", "YEARS");
        Age months = (Age) extension(resource(s, Patient.class, "AGE-9-AGE-9-002"), SD + "subject-age").getValue();
        assertThat(months.getCode()).isEqualTo("mo");
        // an infant's AGE 0 (completed years) is "< 1 a": FHIR's Age must be above 0 (age-1), and the stock validator agrees
        Patient infant = resource(s, Patient.class, "AGE-9-AGE-9-004");
        Age underOne = (Age) extension(infant, SD + "subject-age").getValue();
        assertThat(underOne.getComparator()).isEqualTo(org.hl7.fhir.r4.model.Quantity.QuantityComparator.LESS_THAN);
        assertThat(underOne.getValue()).isEqualByComparingTo("1");
        assertThat(underOne.getCode()).isEqualTo("a");
        var ctx = ca.uhn.fhir.context.FhirContext.forR4Cached();
        var stock = org.celltrial.adapter.profiles.StockValidation.newValidator(ctx, org.celltrial.adapter.profiles.ValidationSupports
                .chain(ctx, org.celltrial.adapter.profiles.CellTrialPackage.load(ctx)));
        assertThat(org.celltrial.adapter.profiles.StockValidation.validate(stock, infant, null).errors()).isEmpty();
        CodeableConcept race = (CodeableConcept) extension(p, SD + "sdtm-race").getValue();
        assertThat(race.getCodingFirstRep().getCode()).isEqualTo("2028-9");
        assertThat(race.getText()).isEqualTo("ASIAN");
        assertThat(((CodeableConcept) extension(p, SD + "sdtm-ethnicity").getValue()).getCodingFirstRep().getCode()).isEqualTo("2135-2");
        assertThat(p.getAddressFirstRep().getCountry()).isEqualTo("BRA");
        ResearchSubject rs = resource(s, ResearchSubject.class, "AGE-9-AGE-9-002");
        assertThat(extension(rs, SD + "sdtm-arm").getValue().primitiveValue()).isEqualTo("Treatment");
        assertThat(extension(rs, SD + "sdtm-actual-arm").getValue().primitiveValue()).isEqualTo("Placebo");
    }

    @Test
    void customDomainIsNotMappedAndHoldsNothingBack() {
        CdiscReferenceStudy.Result r = map("custom-domain");
        assertThat(r.notMapped).containsEntry("xz.csv", 2);
        assertThat(r.failures).isEmpty();
        MappingSession s = r.session;
        Observation chimerism = resource(s, Observation.class, "CUS-1-CUS-1-001-ZC-1");
        assertThat(chimerism.getCode().getText()).isEqualTo("Donor chimerism");
        assertThat(chimerism.getValueStringType().getValue()).isEqualTo("98 %");
        Observation anc = resource(s, Observation.class, "CUS-1-CUS-1-001-LB-1");
        assertThat(anc.getCategory()).extracting(CodeableConcept::getText).contains("ENGRAFTMENT");
        assertThat(anc.getCategory().get(0).getCodingFirstRep().getCode()).isEqualTo("laboratory");
        assertThat(anc.getValueQuantity().getCode()).isEqualTo("10*9/L");
        assertThat(((org.hl7.fhir.r4.model.IntegerType) extension(anc, SD + "sdtm-study-day").getValue()).getValue()).isEqualTo(15);
    }

    @Test
    void meddraCodedAdverseEvents() {
        CdiscReferenceStudy.Result r = map("meddra-ae");
        // SUPPAE row 2 points at AESEQ 9, which does not exist
        assertThat(r.failures).extracting(f -> f.record().origin() + " " + f.column()).containsExactly("suppae.csv row 2 IDVARVAL");
        MappingSession s = r.session;
        AdverseEvent ae = resource(s, AdverseEvent.class, "MED-2-MED-2-001-AE-1");
        assertThat(ae.getEvent().getText()).isEqualTo("FEBRILE NEUTROPENIA AFTER CONDITIONING");
        assertThat(ae.getEvent().getCoding()).extracting(Coding::getSystem, Coding::getCode, Coding::getDisplay).containsExactly(
                tuple(MDR, "10016288", "Febrile neutropenia"), tuple(MDR, "10016288", "Febrile neutropenia"),
                tuple(MDR, "10029366", "Neutropenias"), tuple(MDR, "10047954", "White blood cell disorders"),
                tuple(MDR, "10005329", "Blood and lymphatic system disorders"));
        Extension criteria = extension(ae, SD + "ae-seriousness-criteria");
        assertThat(criteria.getExtension()).extracting(Extension::getUrl, e -> e.getValue().primitiveValue()).containsExactly(
                tuple("death", "false"), tuple("life-threatening", "true"), tuple("hospitalization", "true"),
                tuple("disability", "false"), tuple("congenital-anomaly", "false"), tuple("medically-important", "false"));
        assertThat(((CodeableConcept) extension(ae, SD + "ae-action-taken").getValue()).getCodingFirstRep().getCode()).isEqualTo("C49501");
        // a name without its code stays out of the codings (LLT, HLT); the body system code stands in for the SOC
        AdverseEvent ae2 = resource(s, AdverseEvent.class, "MED-2-MED-2-001-AE-2");
        assertThat(ae2.getEvent().getCoding()).extracting(Coding::getCode).containsExactly("10037087", "10040785");
        Observation supp = resource(s, Observation.class, "MED-2-MED-2-001-SUPPAE-AESEQ-1-AETRTEM");
        assertThat(supp.getFocusFirstRep().getReference()).isEqualTo("AdverseEvent/MED-2-MED-2-001-AE-1");
        assertThat(supp.getValueStringType().getValue()).isEqualTo("Y");
    }
}
