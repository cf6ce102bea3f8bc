package org.celltrial.adapter.server.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With security on, the FHIR API's authorization follows the token's scopes (instead of ReadOnlyAccessConfig) and
 * the client's study grants.
 */
@Configuration
@ConditionalOnProperty(prefix = "celltrial.security", name = "enabled", havingValue = "true")
public class ScopeAuthorizationConfig {

    /**
     * No scope grants a write but of a Subscription (system/Subscription.cud): the CapabilityStatement lists the
     * read-only interactions, as with security off, and those.
     */
    @Bean
    public org.celltrial.adapter.server.CapabilityStatementCustomizer scopedServedInteractions(
            org.celltrial.adapter.server.subscription.SubscriptionProperties subscriptions) {
        var served = org.celltrial.adapter.server.ServedInteractions.readOnly();
        return subscriptions.isEnabled() ? served.withWritesOf("Subscription") : served;
    }

    @Bean
    public ScopeAuthorization scopeAuthorization() {
        return new ScopeAuthorization();
    }

    @Bean
    public StudyAccess studyAccess(SecurityProperties security, ca.uhn.fhir.jpa.api.dao.DaoRegistry daos) {
        return new StudyAccess(security.clients(), daos);
    }

    @Bean
    public BulkExportAccess bulkExportAccess(StudyAccess studies) {
        return new BulkExportAccess(studies);
    }
}
