package org.celltrial.adapter.server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code celltrial.fhir.read-only=false}: REST writes allowed, the CapabilityStatement says so (less expunge). */
@Configuration
@ConditionalOnProperty(prefix = "celltrial.fhir", name = "read-only", havingValue = "false")
public class RestWritesConfig {

    @Bean
    public CapabilityStatementCustomizer writableServedInteractions() {
        return ServedInteractions.writable();
    }
}
