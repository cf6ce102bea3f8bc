package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** A backend service as SMART Backend Services describes it: its key pair, its signed assertions, its HTTP calls. */
final class SmartClients {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One registered client and its private key. */
    record Client(String id, JWK key, JWSAlgorithm alg) {

        static Client rsa(String id) {
            try {
                return new Client(id, new RSAKeyGenerator(2048).keyID(id + "-key").generate(), JWSAlgorithm.RS384);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        static Client ec(String id) {
            try {
                return new Client(id, new ECKeyGenerator(Curve.P_384).keyID(id + "-key").generate(), JWSAlgorithm.ES384);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Its public keys, as registered with the server. */
        String publicJwks() {
            return new JWKSet(key.toPublicJWK()).toString();
        }

        String assertion(String audience) {
            return assertion(audience, Instant.now().plusSeconds(240), UUID.randomUUID().toString(), key);
        }

        String assertion(String audience, Instant exp, String jti, JWK signingKey) {
            return sign(new JWTClaimsSet.Builder().issuer(id).subject(id).audience(audience)
                    .expirationTime(Date.from(exp)).jwtID(jti).build(), signingKey, alg);
        }
    }

    static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm alg) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a client_credentials request with a client assertion to the token endpoint. */
    static HttpResponse<String> tokenRequest(String tokenEndpoint, String scope, String assertion) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                + "&client_assertion_type=" + URLEncoder.encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        return HTTP.send(HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String accessToken(String tokenEndpoint, Client client, String scope) throws IOException, InterruptedException {
        HttpResponse<String> r = tokenRequest(tokenEndpoint, scope, client.assertion(tokenEndpoint));
        if (r.statusCode() != 200) {
            throw new AssertionError("token request of " + client.id() + " for " + scope + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json").GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String url, String token, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private SmartClients() {
    }

    /** A client as the adapter registers it: its scopes and its studies (comma-separated; "*": all, "": none). */
    record Registration(Client client, String scopes, String studies) {
    }

    /** The registrations as the adapter's settings ({@code celltrial.security.clients[i].*}), in order. */
    static java.util.Map<String, String> settings(Registration... registrations) {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 0; i < registrations.length; i++) {
            Registration r = registrations[i];
            String prefix = "celltrial.security.clients[" + i + "].";
            settings.put(prefix + "client-id", r.client().id());
            settings.put(prefix + "jwks", r.client().publicJwks());
            settings.put(prefix + "scopes", r.scopes());
            settings.put(prefix + "studies", r.studies());
        }
        return settings;
    }
}
