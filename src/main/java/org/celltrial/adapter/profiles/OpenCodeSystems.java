package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;

import java.util.Set;

/**
 * Code systems of ours whose codes no definition can list: any code is one of them. The study tag's system is one (a
 * study's code is its STUDYID, whatever a sponsor chose). Without this the validator reports, for every resource the
 * adapter writes and every {@code $validate} of one, "CodeSystem is unknown and can't be validated" about its study
 * tag: a warning that says nothing about the resource. The validator's own checks of a code (whitespace) still run.
 * <p>
 * Deliberately not a CodeSystem resource in our package: a fetchable CodeSystem (content {@code not-present}) makes
 * the validator report each code as not checkable, and its codes could no longer be free in a validation shape
 * ({@link ProfileValidator#freeCodeSystem}).
 */
public final class OpenCodeSystems implements IValidationSupport {

    /** The system of the study tag every written resource carries ({@code mapping/StudyTag}, beside this package:
     * {@code OpenCodeSystemsTest} checks the two agree). */
    public static final String STUDY = CellTrialPackage.CANONICAL_BASE + "/CodeSystem/study";

    private static final Set<String> SYSTEMS = Set.of(STUDY);

    private final FhirContext ctx;

    public OpenCodeSystems(FhirContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public FhirContext getFhirContext() {
        return ctx;
    }

    @Override
    public String getName() {
        return "CellTrial open code systems";
    }

    @Override
    public boolean isCodeSystemSupported(ValidationSupportContext context, String system) {
        return system != null && SYSTEMS.contains(system);
    }

    @Override
    public CodeValidationResult validateCode(ValidationSupportContext context, ConceptValidationOptions options,
                                             String system, String code, String display, String valueSetUrl) {
        // a binding to a value set is the value set's to answer; none of ours names these systems
        if (valueSetUrl != null || system == null || !SYSTEMS.contains(system) || code == null || code.isEmpty()) {
            return null;
        }
        return new CodeValidationResult().setCode(code).setDisplay(display);
    }
}
