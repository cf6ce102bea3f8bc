package org.celltrial.adapter.server.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security off (the default): no authentication, as the quick start expects; what keeps that safe is that the server
 * then listens on 127.0.0.1 only ({@link BindAddressCheck}) and the FHIR API is read-only (ReadOnlyAccessConfig).
 * The chain exists so that Spring Boot does not lock everything behind a generated password, and so that the same
 * response headers are set as with security on.
 */
@Configuration
@ConditionalOnProperty(prefix = "celltrial.security", name = "enabled", havingValue = "false", matchIfMissing = true)
public class OpenAccessConfig {

    @Bean
    public SecurityFilterChain openAccess(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(AbstractHttpConfigurer::disable) // no cookies, no sessions: nothing for a forged request to ride on
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable);
        return http.build();
    }
}
