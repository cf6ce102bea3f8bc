package org.celltrial.adapter.profiles;

import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Values the validation shape used to replace by their class although the HL7 validator reads them together with a
 * sibling or another part of the resource (issue 13, item 7.1). Each case is a pair of resources that differ only in
 * such a value and get different findings from the stock validator: the second must get its own findings, not the
 * first one's. On the code before the fix each case failed: the second resource was given the first one's findings.
 *
 * <p>The first resource's shape is validated several times before the second comes ({@link #PRIMING}), so that the
 * checks of a shape's first reuses ({@link ProfileValidator}) are used up and cannot hide a gap in the shape: what is
 * tested is the shape itself.
 */
class ShapeHolesTest {

    /** More than the reuses of a shape that are always validated again. */
    static final int PRIMING = 8;

    static final String PATIENT_PROFILE = "https://fhir.celltrial.org/StructureDefinition/celltrial-patient";

    /** InstanceValidator.checkIdentifier: with system urn:ietf:rfc:3986 the value must be an absolute URI. */
    @Test
    void identifierValueUnderTheUriSystem() {
        Patient valid = patient(p -> p.addIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:oid:1.2.840.113619.2"));
        Patient invalid = patient(p -> p.addIdentifier().setSystem("urn:ietf:rfc:3986").setValue("SITE-07-0042"));
        assertSecondGetsItsOwnFindings(valid, invalid);
    }

    /** InstanceValidator.checkAttachment: a stated size must be the size of the data. */
    @Test
    void attachmentSizeAgainstItsData() {
        Patient right = patient(p -> p.addPhoto(new Attachment().setContentType("text/plain").setData("hello".getBytes()).setSize(5)));
        Patient wrong = patient(p -> p.addPhoto(new Attachment().setContentType("text/plain").setData("hello".getBytes()).setSize(6)));
        assertSecondGetsItsOwnFindings(right, wrong);
    }

    /** InstanceValidator.validateElement: element ids must be unique within a resource. */
    @Test
    void elementIdsThatRepeat() {
        Patient distinct = patient(p -> {
            p.getIdentifierFirstRep().setId("i1");
            p.addIdentifier().setSystem("https://fhir.celltrial.org/sid/subjid").setValue("042").setId("i2");
        });
        Patient repeated = patient(p -> {
            p.getIdentifierFirstRep().setId("i1");
            p.addIdentifier().setSystem("https://fhir.celltrial.org/sid/subjid").setValue("042").setId("i1");
        });
        assertSecondGetsItsOwnFindings(distinct, repeated);
    }

    /** ref-1 and dom-3 compare a local reference with the ids of the contained resources. */
    @Test
    void containedResourceIdAgainstALocalReference() {
        Patient matching = patient(p -> {
            p.addContained(new Organization().setName("Site 07").setId("org1"));
            p.getManagingOrganization().setReference("#org1");
        });
        Patient dangling = patient(p -> {
            p.addContained(new Organization().setName("Site 07").setId("org2"));
            p.getManagingOrganization().setReference("#org1");
        });
        assertSecondGetsItsOwnFindings(matching, dangling);
    }

    /** BundleValidator: an entry's fullUrl must end with its resource's type and id. */
    @Test
    void bundleEntryIdAgainstItsFullUrl() {
        Bundle matching = bundle("p1");
        Bundle other = bundle("p2");
        assertSecondGetsItsOwnFindings(matching, other);
    }

    /** age-1: an Age's value must be above 0. The shape keeps the sign of an Age's value, not the value. */
    @Test
    void ageValueAgainstItsSign() {
        Patient positive = patient(p -> p.addExtension(AGE, age("7")));
        Patient zero = patient(p -> p.addExtension(AGE, age("0")));
        assertSecondGetsItsOwnFindings(positive, zero);
        assertThat(key(patient(p -> p.addExtension(AGE, age("2"))))).isEqualTo(key(patient(p -> p.addExtension(AGE, age("13")))));
        assertThat(key(patient(p -> p.addExtension(AGE, age("2"))))).isNotEqualTo(key(patient(p -> p.addExtension(AGE, age("0")))));
    }

    static final String AGE = "https://fhir.celltrial.org/StructureDefinition/subject-age";

    /**
     * The study tag's code (a STUDYID) is free: no CodeSystem or ValueSet names its system, so the validator cannot
     * tell one study from another (a study's shapes serve the next study), but its code whitespace rule still applies.
     */
    @Test
    void studyTagCodeOfASystemNothingDefines() {
        String study = org.celltrial.adapter.mapping.StudyTag.SYSTEM;
        Patient clean = patient(p -> p.getMeta().addTag(study, "STUDY-A", null));
        Patient spaced = patient(p -> p.getMeta().addTag(study, "STUDY  A", null));
        assertSecondGetsItsOwnFindings(clean, spaced);
        try (ProfileValidator ours = ProfileValidator.create(Validators.CTX, Validators.pkg(), 1, true)) {
            Patient other = patient(p -> p.getMeta().addTag(study, "CDISCPILOT01", null));
            var stockOther = Validators.key(stock(ours, Validators.stock(), other));
            ours.validate(clean);
            long validated = ours.shapeStats().validated();
            assertThat(Validators.key(ours.validate(other))).isEqualTo(stockOther);
            assertThat(ours.shapeStats().validated()).as("the other study's Patient shares the shape").isEqualTo(validated);
            assertThat(ours.freeCodeSystem(study)).isTrue();
            assertThat(ours.freeCodeSystem("https://fhir.celltrial.org/CodeSystem/data-quality-issue-type")).as("defined in our package").isFalse();
            assertThat(ours.freeCodeSystem("http://snomed.info/sct")).as("not ours").isFalse();
        }
        // a profile that fixes or patterns a coding of a system makes the validator compare its codes: not free
        java.util.Set<String> named = new java.util.HashSet<>();
        ProfileValidator.systemsIn(new org.hl7.fhir.r4.model.CodeableConcept()
                .addCoding(new org.hl7.fhir.r4.model.Coding("https://fhir.celltrial.org/CodeSystem/fixed", "X", null)), named);
        ProfileValidator.systemsIn(new org.hl7.fhir.r4.model.Coding(study, "S-1", null), named);
        assertThat(named).containsExactlyInAnyOrder("https://fhir.celltrial.org/CodeSystem/fixed", study);
        assertThat(ValidationShape.cleanCode("STUDY A")).isTrue();
        for (String bad : new String[] {"STUDY  A", " STUDY", "STUDY\tA", "STUDY\u00a0A", ""}) {
            assertThat(ValidationShape.cleanCode(bad)).as(bad).isFalse();
        }
    }

    private static org.hl7.fhir.r4.model.Age age(String value) {
        org.hl7.fhir.r4.model.Age age = new org.hl7.fhir.r4.model.Age();
        age.setValueElement(new org.hl7.fhir.r4.model.DecimalType(value));
        age.setUnit("years").setSystem("http://unitsofmeasure.org").setCode("a");
        return age;
    }

    /** What the shape keeps of these values, and what it still leaves out. */
    @Test
    void shapeKeys() {
        String ours = key(patient(p -> p.getIdentifierFirstRep().setValue("A-1")));
        assertThat(key(patient(p -> p.getIdentifierFirstRep().setValue("B-2")))).as("our identifier systems").isEqualTo(ours);
        assertThat(key(patient(p -> p.addIdentifier().setValue("A-1"))))
                .as("no system").isEqualTo(key(patient(p -> p.addIdentifier().setValue("B-2"))));
        for (String system : new String[] {"urn:ietf:rfc:3986", "https://tools.ietf.org/html/rfc4122", "urn:oid:2.16.840.1.113883.4.1",
                "http://hospital.example.org/mrn"}) {
            assertThat(key(patient(p -> p.addIdentifier().setSystem(system).setValue("A-1"))))
                    .as(system).isNotEqualTo(key(patient(p -> p.addIdentifier().setSystem(system).setValue("B-2"))));
        }
        // the resource id and element ids: which are equal is kept, not the values
        assertThat(key(patient(p -> p.getIdentifierFirstRep().setId("a")))).isEqualTo(key(patient(p -> p.getIdentifierFirstRep().setId("b"))));
        assertThat(key(patient(p -> p.getIdentifierFirstRep().setId("a")))).isNotEqualTo(key(patient(p -> p.getIdentifierFirstRep().setId(p.getIdElement().getIdPart()))));
        // nested resources and resource types with their own validator class: never reused
        assertThat(ValidationShape.of(patient(p -> p.addContained(new Organization().setName("x").setId("o"))), java.util.List.of())).isNull();
        assertThat(ValidationShape.of(bundle("p1"), java.util.List.of())).isNull();
        assertThat(ValidationShape.of(new org.hl7.fhir.r4.model.ValueSet().setUrl("https://example.org/vs"), java.util.List.of())).isNull();
    }

    private static String key(Resource r) {
        return ValidationShape.of(r, java.util.List.of(PATIENT_PROFILE)).key();
    }

    // ---------------------------------------------------------------------------------------------------------

    static Patient patient(Consumer<Patient> change) {
        Patient p = new Patient();
        p.setId("HOLES-1-HOLES-1-01-001");
        p.getMeta().addProfile(PATIENT_PROFILE);
        p.addIdentifier(new Identifier().setSystem("https://fhir.celltrial.org/sid/usubjid").setValue("HOLES-1-01-001"));
        p.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        p.getBirthDateElement().setValueAsString("2012-03-04");
        change.accept(p);
        return p;
    }

    private static Bundle bundle(String patientId) {
        Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Patient p = patient(x -> { });
        p.setId(patientId);
        b.addEntry().setFullUrl("https://fhir.celltrial.org/fhir/Patient/p1").setResource(p);
        return b;
    }

    /**
     * The stock findings of {@code first} and {@code second} differ; ours with shape reuse, {@code first} validated
     * (and its shape reused) before, gives {@code second} the stock findings of {@code second}.
     */
    static void assertSecondGetsItsOwnFindings(Resource first, Resource second) {
        assertSecondGetsItsOwnFindings(Validators.pkg(), Validators.stock(), first, second);
    }

    static void assertSecondGetsItsOwnFindings(CellTrialPackage pkg, FhirValidator stock, Resource first, Resource second) {
        try (ProfileValidator ours = ProfileValidator.create(Validators.CTX, pkg, 1, true)) {
            var stockFirst = Validators.key(stock(ours, stock, first));
            var stockSecond = Validators.key(stock(ours, stock, second));
            assertThat(stockSecond).as("the stock validator tells the two apart").isNotEqualTo(stockFirst);
            for (int i = 0; i < PRIMING; i++) {
                assertThat(Validators.key(ours.validate(first.copy()))).isEqualTo(stockFirst);
            }
            assertThat(Validators.key(ours.validate(second))).as("the second resource's own findings").isEqualTo(stockSecond);
            assertThat(ours.shapeStats().enabled()).as("reuse still on: no check found a difference").isTrue();
        }
    }

    private static ValidationResult stock(ProfileValidator ours, FhirValidator stock, Resource r) {
        return StockValidation.validate(stock, r, ours.profileForStockPath(r, null));
    }
}
