package org.celltrial.adapter.it;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.it.SmartClients.get;
import static org.celltrial.adapter.it.SmartClients.json;

/**
 * Tokens from an external authorization server (as Keycloak issues them: scopes in one space-separated claim), its
 * signing keys served by a real HTTP JWKS endpoint: accepted when issuer, audience, lifetime and signature are right,
 * refused otherwise; our own token endpoint is then off, and the SMART configuration points at the external one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExternalIssuerIT {

    static final Path DATA = TestData.newDataDir("external-issuer");
    static final RSAKey IDP_KEY = key("idp");
    static final HttpServer IDP = jwksServer();
    static final String ISSUER = "http://localhost:" + IDP.getAddress().getPort() + "/realms/trials";
    static final String AUDIENCE = "celltrial-adapter";

    private static RSAKey key(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer jwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/realms/trials/protocol/openid-connect/certs", exchange -> {
                byte[] body = new JWKSet(IDP_KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopIdp() {
        IDP.stop(0);
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.security.enabled", () -> "true");
        r.add("celltrial.security.external.issuer-uri", () -> ISSUER);
        r.add("celltrial.security.external.jwk-set-uri", () -> ISSUER + "/protocol/openid-connect/certs");
        r.add("celltrial.security.external.audience", () -> AUDIENCE);
        r.add("celltrial.security.external.token-endpoint", () -> ISSUER + "/protocol/openid-connect/token");
    }

    @Value("${local.server.port}")
    int port;

    private static String token(String issuer, String audience, Instant exp, String scope, RSAKey key) {
        return SmartClients.sign(new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("registry-client")
                .claim("azp", "registry-client").claim("scope", scope).expirationTime(Date.from(exp)).build(), key, JWSAlgorithm.RS256);
    }

    @Test
    void tokensOfTheExternalIssuerAreCheckedAndScoped() throws Exception {
        String fhir = "http://localhost:" + port + "/fhir";
        Instant soon = Instant.now().plusSeconds(240);
        assertThat(get(fhir + "/Patient", token(ISSUER, AUDIENCE, soon, "system/*.rs", IDP_KEY)).statusCode()).isEqualTo(200);
        assertThat(get(fhir + "/Patient", token(ISSUER, AUDIENCE, soon, "system/Observation.rs", IDP_KEY)).statusCode())
                .as("wrong scope").isEqualTo(403);
        assertThat(get(fhir + "/Patient", token("http://elsewhere/realms/x", AUDIENCE, soon, "system/*.rs", IDP_KEY))
                .statusCode()).as("wrong issuer").isEqualTo(401);
        assertThat(get(fhir + "/Patient", token(ISSUER, "someone-else", soon, "system/*.rs", IDP_KEY)).statusCode())
                .as("wrong audience").isEqualTo(401);
        assertThat(get(fhir + "/Patient", token(ISSUER, AUDIENCE, Instant.now().minusSeconds(600), "system/*.rs", IDP_KEY))
                .statusCode()).as("expired").isEqualTo(401);
        assertThat(get(fhir + "/Patient", token(ISSUER, AUDIENCE, soon, "system/*.rs", key("idp"))).statusCode())
                .as("bad signature").isEqualTo(401);
        assertThat(get("http://localhost:" + port + "/api/deliveries",
                token(ISSUER, AUDIENCE, soon, "system/celltrial-admin", IDP_KEY)).statusCode()).isEqualTo(200);

        assertThat(json(get(fhir + "/.well-known/smart-configuration", null)).get("token_endpoint").asText())
                .isEqualTo(ISSUER + "/protocol/openid-connect/token");
        assertThat(SmartClients.post("http://localhost:" + port + "/oauth2/token", null,
                "application/x-www-form-urlencoded", "grant_type=client_credentials").statusCode())
                .as("our token endpoint is off").isIn(401, 403, 404);
    }
}
