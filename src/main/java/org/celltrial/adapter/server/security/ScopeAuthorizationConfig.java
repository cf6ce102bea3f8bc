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

    @Bean
    public ScopeAuthorization scopeAuthorization() {
        return new ScopeAuthorization();
    }

    @Bean
    public StudyAccess studyAccess(SecurityProperties security, ca.uhn.fhir.jpa.api.dao.DaoRegistry daos) {
        return new StudyAccess(security.clients(), daos);
    }
}
