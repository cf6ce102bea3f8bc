package org.celltrial.adapter.server.security;

import org.celltrial.adapter.guard.CorsProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CapabilityStatement says how clients are authorized, with security on or off. */
@Configuration
public class SecuritySectionConfig {

    @Bean
    public SecuritySection securitySection(SecurityProperties security, CorsProperties cors) {
        return new SecuritySection(security, cors.enabled());
    }
}
