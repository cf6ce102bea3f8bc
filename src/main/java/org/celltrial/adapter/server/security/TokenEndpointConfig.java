package org.celltrial.adapter.server.security;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.web.SecurityFilterChain;

import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Our own token endpoint ({@code POST /oauth2/token}, Spring Authorization Server) for SMART Backend Services: the
 * {@code client_credentials} grant, clients authenticated by a JWT signed with their private key
 * ({@link ClientAssertionDecoders}), short-lived JWT access tokens signed with our key (published at
 * {@code /oauth2/jwks}). Used when no external issuer is configured.
 */
@Configuration
@ConditionalOnExpression("${celltrial.security.enabled:false} and '${celltrial.security.external.issuer-uri:}' == ''")
public class TokenEndpointConfig {

    /** Unexpired client assertions remembered against replay; a few minutes' worth at any realistic rate. */
    static final int MAX_REMEMBERED_ASSERTIONS = 100_000;

    @Bean
    @Order(1)
    public SecurityFilterChain tokenEndpoint(HttpSecurity http, SecurityProperties security,
                                             org.celltrial.adapter.server.FhirServerProperties fhir,
                                             org.springframework.beans.factory.ObjectProvider<org.celltrial.adapter.server.audit.AuditWriter> audit)
            throws Exception {
        ClientAssertionDecoders decoders = new ClientAssertionDecoders(security.clients(),
                new AssertionReplayGuard(MAX_REMEMBERED_ASSERTIONS, Clock.systemUTC()), Clock.systemUTC());
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, s -> s.clientAuthentication(c -> c
                        .authenticationConverters(converters -> converters.add(0, new SmartClientAssertionConverter()))
                        .authenticationProviders(providers -> providers.forEach(p -> {
                            if (p instanceof JwtClientAssertionAuthenticationProvider assertions) {
                                assertions.setJwtDecoderFactory(decoders);
                            }
                        }))))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable);
        audit.ifAvailable(writer -> http.addFilterAfter(new org.celltrial.adapter.server.audit.AuditFilter(writer, fhir.path()),
                org.springframework.security.web.context.SecurityContextHolderFilter.class));
        return http.build();
    }

    @Bean
    public RegisteredClientRepository registeredClients(SecurityProperties security, FhirContext fhir) {
        if (security.clients().isEmpty()) {
            throw new IllegalStateException("celltrial.security.enabled=true with our own token endpoint needs at least"
                    + " one client under celltrial.security.clients (or an external issuer: celltrial.security.external.issuer-uri)");
        }
        List<RegisteredClient> clients = new ArrayList<>();
        for (SecurityProperties.Client c : security.clients()) {
            ClientSettings.Builder settings = ClientSettings.builder().requireProofKey(false);
            if (c.jwksUrl() != null && !c.jwksUrl().isBlank()) {
                settings.jwkSetUrl(c.jwksUrl());
            }
            clients.add(RegisteredClient.withId(UUID.nameUUIDFromBytes(c.clientId().getBytes()).toString())
                    .clientId(c.clientId())
                    .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .scopes(s -> s.addAll(SmartScopes.grantable(c.scopes(), fhir.getResourceTypes())))
                    .clientSettings(settings.build())
                    .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(security.tokenLifetime())
                            .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED).build())
                    .build());
        }
        return new InMemoryRegisteredClientRepository(clients);
    }

    /**
     * The key our access tokens are signed with: {@code celltrial.security.token-signing-jwk} (a private RSA JWK, from
     * the environment only), else one generated at start.
     */
    @Bean
    public JWKSource<SecurityContext> tokenSigningKey(SecurityProperties security) throws Exception {
        String configured = security.tokenSigningJwk();
        RSAKey key;
        if (configured != null && !configured.isBlank()) {
            try {
                key = RSAKey.parse(configured);
            } catch (ParseException e) {
                throw new IllegalStateException("CELLTRIAL_SECURITY_TOKEN_SIGNING_JWK is not an RSA JWK");
            }
            if (!key.isPrivate()) {
                throw new IllegalStateException("CELLTRIAL_SECURITY_TOKEN_SIGNING_JWK must hold the private key");
            }
        } else {
            key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        }
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    /** The resource server accepts the tokens signed with our key. */
    @Bean
    public JwtDecoder ownTokens(JWKSource<SecurityContext> tokenSigningKey) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(tokenSigningKey);
    }

    @Bean
    public AuthorizationServerSettings authorizationServerSettings(SecurityProperties security) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (security.issuer() != null && !security.issuer().isBlank()) {
            settings.issuer(security.issuer());
        }
        return settings.build();
    }

    /**
     * Access tokens are self-contained JWTs and there is no refresh or revocation for backend services, so issued
     * tokens are not kept: Spring's in-memory default would keep every token ever issued.
     */
    @Bean
    public OAuth2AuthorizationService authorizations() {
        return new OAuth2AuthorizationService() {
            @Override
            public void save(OAuth2Authorization authorization) {
            }

            @Override
            public void remove(OAuth2Authorization authorization) {
            }

            @Override
            public OAuth2Authorization findById(String id) {
                return null;
            }

            @Override
            public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
                return null;
            }
        };
    }
}
