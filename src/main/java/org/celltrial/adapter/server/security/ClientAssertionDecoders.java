package org.celltrial.adapter.server.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the signed JWT a backend service authenticates with at our token endpoint ({@code private_key_jwt}, SMART
 * Backend Services): signed with RS384 or ES384 by a key of the client's JWK Set (inline or at its URL); {@code iss} and
 * {@code sub} its client id; {@code aud} our token endpoint; {@code exp} at most five minutes ahead; a {@code jti}
 * never seen before while the assertion is valid ({@link AssertionReplayGuard}, checked last so that an assertion
 * failing any other check cannot use up a jti). Spring Authorization Server's own decoder factory takes keys from a
 * URL only and does not check replays.
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Map<String, JWKSource<SecurityContext>> keys = new ConcurrentHashMap<>();
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
    private final AssertionReplayGuard replays;
    private final Clock clock;

    ClientAssertionDecoders(List<SecurityProperties.Client> clients, AssertionReplayGuard replays, Clock clock) {
        this.replays = replays;
        this.clock = clock;
        for (SecurityProperties.Client c : clients) {
            keys.put(c.clientId(), keySource(c));
        }
    }

    /** The client's public keys: inline, or fetched from its JWKS URL (cached, refreshed on an unknown key id). */
    static JWKSource<SecurityContext> keySource(SecurityProperties.Client c) {
        boolean inline = c.jwks() != null && !c.jwks().isBlank();
        boolean url = c.jwksUrl() != null && !c.jwksUrl().isBlank();
        if (inline == url) {
            throw new IllegalStateException("celltrial.security.clients: client " + c.clientId()
                    + " needs exactly one of jwks-url and jwks (its public keys)");
        }
        try {
            if (inline) {
                JWKSet set = JWKSet.parse(c.jwks());
                if (set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
                    throw new IllegalStateException("celltrial.security.clients: the jwks of client " + c.clientId()
                            + " holds a private key: register its public keys only");
                }
                return new ImmutableJWKSet<>(set);
            }
            return JWKSourceBuilder.create(URI.create(c.jwksUrl()).toURL()).build();
        } catch (ParseException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("celltrial.security.clients: the keys of client " + c.clientId()
                    + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        return decoders.computeIfAbsent(client.getClientId(), id -> {
            JWKSource<SecurityContext> source = keys.get(id);
            if (source == null) {
                throw new IllegalStateException("no keys for client " + id);
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, source));
            processor.setJWTClaimsSetVerifier((claims, context) -> { }); // the validators below check the claims
            NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
            JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
            timestamps.setClock(clock);
            List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
            checks.add(timestamps);
            checks.add(jwt -> claims(jwt, id));
            checks.add(jwt -> replay(jwt, id)); // last: only a valid assertion uses up its jti
            decoder.setJwtValidator(jwt -> {
                for (OAuth2TokenValidator<Jwt> check : checks) {
                    OAuth2TokenValidatorResult r = check.validate(jwt);
                    if (r.hasErrors()) {
                        return r;
                    }
                }
                return OAuth2TokenValidatorResult.success();
            });
            return decoder;
        });
    }

    private OAuth2TokenValidatorResult claims(Jwt jwt, String clientId) {
        if (!clientId.equals(jwt.getClaimAsString("iss")) || !clientId.equals(jwt.getSubject())) {
            return invalid("iss and sub must be the client id");
        }
        String endpoint = tokenEndpoint();
        if (endpoint == null || jwt.getAudience() == null || !jwt.getAudience().contains(endpoint)) {
            return invalid("aud must be the token endpoint " + endpoint);
        }
        Instant exp = jwt.getExpiresAt();
        if (exp == null || exp.isAfter(clock.instant().plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
            return invalid("exp is required and at most " + MAX_LIFETIME.toMinutes() + " minutes ahead");
        }
        if (jwt.getId() == null || jwt.getId().isBlank()) {
            return invalid("jti is required");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private OAuth2TokenValidatorResult replay(Jwt jwt, String clientId) {
        return switch (replays.use(clientId, jwt.getId(), jwt.getExpiresAt())) {
            case FIRST_USE -> OAuth2TokenValidatorResult.success();
            case REPLAYED -> invalid("this assertion (jti) was used before");
            case TOO_MANY -> invalid("too many client assertions at once; try again shortly");
        };
    }

    /** Our token endpoint's URL as clients must address it: the issuer (configured or of this request) + its path. */
    private static String tokenEndpoint() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        if (context == null) {
            return null;
        }
        return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
    }

    private static OAuth2TokenValidatorResult invalid(String why) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_client", "client assertion: " + why, null));
    }
}
