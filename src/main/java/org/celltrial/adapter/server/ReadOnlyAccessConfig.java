package org.celltrial.adapter.server;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * Security off (the default): over HTTP the FHIR endpoint only reads
 * (search, read, history, $everything, batches of reads) and validates ($validate); all data enters through
 * the ingestion pipeline, which writes in process. Set {@code celltrial.fhir.read-only=false} to allow
 * REST writes, e.g. on a closed test system.
 */
@Configuration
// with security on, the token's scopes decide (security/ScopeAuthorization), and they grant reads only
@ConditionalOnExpression("${celltrial.fhir.read-only:true} and !${celltrial.security.enabled:false}")
public class ReadOnlyAccessConfig {

    /** The CapabilityStatement lists what the rules below allow, and nothing else: change both together. */
    @Bean
    public CapabilityStatementCustomizer readOnlyServedInteractions(
            org.celltrial.adapter.server.subscription.SubscriptionProperties subscriptions) {
        return subscriptions.isEnabled() ? ServedInteractions.readOnly().withWritesOf("Subscription") : ServedInteractions.readOnly();
    }

    @Bean
    public AuthorizationInterceptor readOnlyAuthorization(
            org.celltrial.adapter.server.subscription.SubscriptionProperties subscriptions) {
        return new AuthorizationInterceptor() {
            @Override
            public List<IAuthRule> buildRuleList(RequestDetails request) {
                ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder rules = new RuleBuilder()
                        .allow("metadata").metadata().andThen();
                if (subscriptions.isEnabled()) {
                    // an EHR on this machine registers rest-hook Subscriptions (server/subscription; README
                    // "Subscriptions (rest-hook)"): they carry no patient data, and anything here may read it all anyway
                    rules = rules.allow("subscription write").write().resourcesOfType("Subscription").withAnyId().andThen()
                            .allow("subscription delete").delete().resourcesOfType("Subscription").withAnyId().andThen();
                }
                return rules
                        .allow("read").read().allResources().withAnyId().andThen()
                        .allow("everything").operation().named("$everything").onAnyInstance().andAllowAllResponses().andThen()
                        .allow("everything-type").operation().named("$everything").onType(org.hl7.fhir.r4.model.Patient.class).andAllowAllResponses().andThen()
                        .allow("validate-type").operation().named("$validate").onAnyType().andAllowAllResponses().andThen()
                        .allow("validate-instance").operation().named("$validate").onAnyInstance().andAllowAllResponses().andThen()
                        .allow("validate-server").operation().named("$validate").onServer().andAllowAllResponses().andThen()
                        // Bulk Data $export is a read: kick-off, status polls (and DELETE, which cancels the
                        // export and its files, no data), downloads (Binary reads, above)
                        .allow("export").operation().named("$export").onServer().andAllowAllResponses().andThen()
                        .allow("export-patient").operation().named("$export").onType(org.hl7.fhir.r4.model.Patient.class).andAllowAllResponses().andThen()
                        .allow("export-group").operation().named("$export").onInstancesOfType(org.hl7.fhir.r4.model.Group.class).andAllowAllResponses().andThen()
                        .allow("export-job").bulkExport().any().andThen()
                        .allow("export-status").operation().named("$export-poll-status").onServer().andAllowAllResponses().andThen()
                        .allow("batch-of-reads").transaction().withAnyOperation().andApplyNormalRules().andThen()
                        .denyAll("the FHIR endpoint is read-only: data enters through the ingestion inbox")
                        .build();
            }
        };
    }
}
