package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The stock HAPI path, as a plain integration does it: {@link FhirValidator} + {@link FhirInstanceValidator} over
 * the {@link ValidationSupports#chain} setup. The reference for "same findings" and the baseline of bench-validate.
 */
public final class StockValidation {

    private StockValidation() {
    }

    /** A new stock validator on {@code support} (building one is what makes per-call construction slow). */
    public static FhirValidator newValidator(FhirContext ctx, IValidationSupport support) {
        FhirValidator validator = ctx.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(support));
        return validator;
    }

    /** Validates with the stock validator; {@code profile} may be null (meta.profile / base definition only). */
    public static ValidationResult validate(FhirValidator validator, IBaseResource resource, String profile) {
        ValidationOptions options = new ValidationOptions();
        if (profile != null) {
            options.addProfile(profile);
        }
        return ValidationResult.of(validator.validateWithResult(resource, options));
    }
}
