package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The one validation support setup used everywhere (our fast path, the stock path in tests and benchmarks, and
 * fhir-profiles/examples-invalid/expected.json): FHIR R4 core, our IG, in-memory terminology, and unknown code
 * systems (NCIt, SNOMED CT, RxNorm: not available offline) reported as warnings instead of errors.
 */
public final class ValidationSupports {

    private ValidationSupports() {
    }

    /** A new cached chain: core definitions + {@code pkg} + in-memory terminology + snapshot generation. */
    public static ValidationSupportChain chain(FhirContext ctx, CellTrialPackage pkg) {
        PrePopulatedValidationSupport ours = new PrePopulatedValidationSupport(ctx);
        for (IBaseResource r : pkg.conformanceResources()) {
            ours.addResource(r);
        }
        UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(ctx);
        unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        return new ValidationSupportChain(
                new DefaultProfileValidationSupport(ctx),
                ours,
                new OpenCodeSystems(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx),
                new SnapshotGeneratingValidationSupport(ctx),
                unknownSystems);
    }
}
