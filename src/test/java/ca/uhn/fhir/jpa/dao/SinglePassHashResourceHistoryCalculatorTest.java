package ca.uhn.fhir.jpa.dao;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.model.entity.ResourceEncodingEnum;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Our one-pass hash must be HAPI's: HAPI compares it with the stored one to tell an unchanged resource. */
class SinglePassHashResourceHistoryCalculatorTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private final ResourceHistoryCalculator hapi = new ResourceHistoryCalculator(CTX, false);
    private final ResourceHistoryCalculator ours = new SinglePassHashResourceHistoryCalculator(CTX);

    @Test
    void sameTextEncodingAndHashAsHapis() {
        Patient patient = new Patient();
        patient.setId("Patient/NKAML-P1-01-003");
        patient.getMeta().addProfile("https://celltrial.org/fhir/StructureDefinition/celltrial-patient");
        // non-ASCII and a surrogate pair: the hash is over UTF-16 code units, not UTF-8 bytes
        patient.addName().setFamily("Müller-Øster").addGiven("Zoë 🧬");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        Procedure procedure = new Procedure();
        procedure.setId("Procedure/NKAML-P1-01-003-PR-1");
        procedure.setStatus(Procedure.ProcedureStatus.COMPLETED);
        procedure.setSubject(new Reference("Patient/NKAML-P1-01-003"));
        procedure.getCode().setText("Haploidentical HSCT");

        Patient loneSurrogate = new Patient();
        loneSurrogate.addName().setFamily("broken \uD83E text"); // invalid UTF-16: hashed as the char it is
        for (IBaseResource r : List.of(patient, procedure, new Patient(), loneSurrogate)) {
            List<String> exclude = List.of("id", r.fhirType() + ".meta.versionId", r.fhirType() + ".meta.lastUpdated");
            ResourceHistoryState expected = hapi.calculateResourceHistoryState(r, ResourceEncodingEnum.JSON, exclude);
            ResourceHistoryState actual = ours.calculateResourceHistoryState(r, ResourceEncodingEnum.JSON, exclude);
            assertEquals(expected.getResourceText(), actual.getResourceText());
            assertEquals(expected.getEncoding(), actual.getEncoding());
            assertEquals(expected.getResourceBinary(), actual.getResourceBinary());
            assertEquals(expected.getHashCode(), actual.getHashCode(), r.fhirType());
        }
    }

    @Test
    void aChangedResourceHashesDifferently() {
        Patient a = new Patient();
        a.addName().setFamily("Müller");
        Patient b = a.copy();
        b.getNameFirstRep().setFamily("Muller");
        assertNotEquals(ours.calculateResourceHistoryState(a, ResourceEncodingEnum.JSON, List.of()).getHashCode(),
                ours.calculateResourceHistoryState(b, ResourceEncodingEnum.JSON, List.of()).getHashCode());
    }

    @Test
    void hashesCharsAsGuavasHashUnencodedCharsDoesEvenInvalidUtf16() {
        for (String s : List.of("", "plain", "Zoë 🧬", "lone \uD83E surrogate", "\uDC00 reversed \uD83E")) {
            assertEquals(com.google.common.hash.Hashing.sha256().hashUnencodedChars(s),
                    com.google.common.hash.Hashing.sha256().hashBytes(SinglePassHashResourceHistoryCalculator.utf16le(s)), s);
        }
    }
}
