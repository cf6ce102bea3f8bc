package org.celltrial.adapter.server.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Access to {@code /fhir} and {@code /api}, under {@code celltrial.security} (README, "Connecting a registry or EHR").
 * Off by default: the server then listens on 127.0.0.1 only and is read-only, as the quick start expects. On: every
 * request but the public conformance documents needs a SMART Backend Services bearer token, issued by our own token
 * endpoint (clients registered here with their public keys) or by an external authorization server ({@link External}).
 *
 * @param enabled                    whether bearer tokens are required
 * @param issuer                     our public base URL (e.g. https://trials.example.org) when behind a proxy; by
 *                                   default taken from each request
 * @param tokenLifetime              lifetime of the access tokens we issue (SMART recommends at most 5 minutes)
 * @param adminScope                 the scope the admin API ({@code /api/**}) requires
 * @param clients                    the registered clients
 * @param allowUnauthenticatedNetwork with security off, allow listening on other interfaces than loopback (only
 *                                   behind something that authenticates, e.g. inside a container whose port is
 *                                   published on 127.0.0.1)
 * @param tokenSigningJwk            the private RSA JWK our access tokens are signed with (from the environment:
 *                                   {@code CELLTRIAL_SECURITY_TOKEN_SIGNING_JWK}), so that tokens outlive a restart and
 *                                   instances accept each other's; by default a key generated at each start
 */
@ConfigurationProperties(prefix = "celltrial.security")
public record SecurityProperties(boolean enabled, String issuer, Duration tokenLifetime, String adminScope,
                                 External external, List<Client> clients, boolean allowUnauthenticatedNetwork,
                                 String tokenSigningJwk) {

    public static final String DEFAULT_ADMIN_SCOPE = "system/celltrial-admin";

    public SecurityProperties {
        tokenLifetime = tokenLifetime == null ? Duration.ofMinutes(5) : tokenLifetime;
        adminScope = adminScope == null || adminScope.isBlank() ? DEFAULT_ADMIN_SCOPE : adminScope;
        external = external == null ? new External(null, null, null, null) : external;
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** Tokens from an external authorization server (e.g. Keycloak) instead of ours. */
    public boolean externalIssuer() {
        return external.issuerUri() != null && !external.issuerUri().isBlank();
    }

    /**
     * @param issuerUri     the issuer ({@code iss}) its tokens carry (setting it switches to the external server); its
     *                      keys are found by OpenID discovery unless
     *                      {@code jwkSetUri} is given
     * @param jwkSetUri     where its signing keys are published
     * @param audience      the audience ({@code aud}) its tokens must carry, if any
     * @param tokenEndpoint its token endpoint, advertised in our smart-configuration
     */
    public record External(String issuerUri, String jwkSetUri, String audience, String tokenEndpoint) {
    }

    /**
     * A client of our token endpoint (SMART Backend Services: {@code private_key_jwt}).
     *
     * @param clientId the id it signs its assertions with ({@code iss} = {@code sub})
     * @param jwksUrl  where it publishes its public keys, or
     * @param jwks     its public keys inline (a JWK Set as JSON)
     * @param scopes   the scopes it may be granted, e.g. {@code system/*.rs}, {@code system/Patient.rs}, the admin scope
     * @param studies  the studies it may see (ResearchStudy ids)
     */
    public record Client(String clientId, String jwksUrl, String jwks, List<String> scopes, List<String> studies) {
        public Client {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            studies = studies == null ? List.of() : List.copyOf(studies);
        }
    }
}
