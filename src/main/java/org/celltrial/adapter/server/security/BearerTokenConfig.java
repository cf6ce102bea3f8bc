package org.celltrial.adapter.server.security;

import org.celltrial.adapter.server.audit.AuditFilter;
import org.celltrial.adapter.server.audit.AuditWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Security on: every request needs a bearer token (JWT) except the public conformance documents (the
 * CapabilityStatement, the SMART configuration, the IG package) and the health probes. The FHIR API checks the token's
 * SMART scopes per request ({@link ScopeAuthorization}); the admin API ({@code /api/**}) needs the admin scope. Tokens
 * come from our token endpoint ({@link TokenEndpointConfig}) or from an external issuer.
 */
@Configuration
@ConditionalOnProperty(prefix = "celltrial.security", name = "enabled", havingValue = "true")
public class BearerTokenConfig {

    @Bean
    @Order(2)
    @SuppressWarnings("deprecation") // AntPathRequestMatcher: the FHIR servlet is not Spring MVC's, so MVC matchers do not apply
    public SecurityFilterChain bearerTokens(HttpSecurity http, SecurityProperties security,
                                            org.celltrial.adapter.server.FhirServerProperties fhir,
                                            ObjectProvider<AuditWriter> audit) throws Exception {
        String base = fhir.path();
        RequestMatcher[] open = {
                AntPathRequestMatcher.antMatcher(HttpMethod.GET, base + "/metadata"),
                AntPathRequestMatcher.antMatcher(HttpMethod.GET, base + "/.well-known/smart-configuration"),
                AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/.well-known/smart-configuration"),
                AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/ig/**"),
                AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/actuator/health"),
                AntPathRequestMatcher.antMatcher(HttpMethod.GET, "/actuator/health/**"),
                AntPathRequestMatcher.antMatcher("/error")};
        http.securityMatcher(AntPathRequestMatcher.antMatcher("/**"))
                .authorizeHttpRequests(a -> a
                        .requestMatchers(open).permitAll()
                        .requestMatchers(AntPathRequestMatcher.antMatcher("/api/**")).hasAuthority("SCOPE_" + security.adminScope())
                        .requestMatchers(AntPathRequestMatcher.antMatcher(base + "/**")).authenticated()
                        .requestMatchers(AntPathRequestMatcher.antMatcher(base)).authenticated()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o.jwt(j -> { }))
                .csrf(AbstractHttpConfigurer::disable) // bearer tokens, no cookies: a forged cross-site request carries none
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable);
        audit.ifAvailable(writer -> http.addFilterAfter(new AuditFilter(writer, base), SecurityContextHolderFilter.class));
        return http.build();
    }

    /** Access tokens of an external authorization server: its keys, its issuer, and our audience when configured. */
    @Bean
    @ConditionalOnExpression("'${celltrial.security.external.issuer-uri:}' != ''")
    public JwtDecoder externalTokens(SecurityProperties security) {
        SecurityProperties.External ext = security.external();
        NimbusJwtDecoder decoder = ext.jwkSetUri() != null && !ext.jwkSetUri().isBlank()
                ? NimbusJwtDecoder.withJwkSetUri(ext.jwkSetUri()).build()
                : NimbusJwtDecoder.withIssuerLocation(ext.issuerUri()).build();
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        checks.add(JwtValidators.createDefaultWithIssuer(ext.issuerUri()));
        if (ext.audience() != null && !ext.audience().isBlank()) {
            checks.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(ext.audience())
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "wrong audience", null)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(checks));
        return decoder;
    }
}
