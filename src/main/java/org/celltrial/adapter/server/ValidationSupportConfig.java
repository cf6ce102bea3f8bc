package org.celltrial.adapter.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.validation.JpaValidationSupportChain;
import org.celltrial.adapter.profiles.OpenCodeSystems;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Terminology for the server's {@code $validate}: SNOMED CT, NCIt and RxNorm are licensed or too large to
 * ship, so codes from code systems the server does not hold are reported as warnings rather than errors
 * (the same policy as our offline validator and CLI).
 */
@Configuration
public class ValidationSupportConfig {

    @Bean
    public SmartInitializingSingleton unknownCodeSystemsAreWarnings(JpaValidationSupportChain chain, FhirContext ctx) {
        return () -> {
            UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(ctx);
            unknown.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
            chain.addValidationSupport(new OpenCodeSystems(ctx)); // the study tag's: any STUDYID (before the warning)
            chain.addValidationSupport(unknown);
        };
    }
}
