package org.celltrial.adapter.server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code celltrial.fhir.read-only=false}: REST writes allowed, the CapabilityStatement says so (less expunge). */
@Configuration
// with security on no scope grants a write (security/ScopeAuthorization): the read-only statement applies
@ConditionalOnExpression("!${celltrial.fhir.read-only:true} and !${celltrial.security.enabled:false}")
public class RestWritesConfig {

    @Bean
    public CapabilityStatementCustomizer writableServedInteractions() {
        return ServedInteractions.writable();
    }
}
