package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.it.SmartClients.Client;
import static org.celltrial.adapter.it.SmartClients.accessToken;
import static org.celltrial.adapter.it.SmartClients.get;
import static org.celltrial.adapter.it.SmartClients.json;
import static org.celltrial.adapter.it.SmartClients.post;
import static org.celltrial.adapter.it.SmartClients.tokenRequest;

/**
 * SMART Backend Services against our own token endpoint, over real HTTP, as a registry and an EHR would use it: each
 * client registers its public key (RS384 and ES384), signs an assertion, gets a short-lived token and reads what its
 * scopes allow; the auth matrix (no token, expired, bad signature, wrong audience, replayed assertion, wrong scope,
 * right scope) over the FHIR API, the admin API and the public documents.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmartBackendServicesIT {

    static final Path DATA = TestData.newDataDir("smart");
    static final Client REGISTRY = Client.rsa("registry");     // system/*.rs
    static final Client EHR = Client.ec("ehr");                // system/Patient.rs system/Procedure.rs
    static final Client ADMIN = Client.rsa("admin-tool");      // the admin scope
    static final Client SEARCHER = Client.rsa("obs-searcher"); // system/Observation.s only
    static final Client AML_REGISTRY = Client.rsa("aml-registry"); // system/*.rs, the AML study only
    static final Client AUDITOR = Client.rsa("auditor");           // system/AuditEvent.rs
    static final String OTHER_STUDY_PATIENT = "NKNB-P12-NKNB-P12-01-001";
    static final RSAKey SERVER_KEY = serverKey();
    static final String PATIENT = "NKAML-P1-NKAML-P1-01-001";

    private static RSAKey serverKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("server").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.ingest.seed-demo-studies", () -> "true");
        r.add("celltrial.security.enabled", () -> "true");
        r.add("celltrial.security.token-signing-jwk", SERVER_KEY::toJSONString);
        SmartClients.settings(
                new SmartClients.Registration(REGISTRY, "system/*.rs", "*"),
                new SmartClients.Registration(EHR, "system/Patient.rs,system/Procedure.rs", "NKAML-P1"),
                new SmartClients.Registration(ADMIN, "system/celltrial-admin", ""),
                new SmartClients.Registration(SEARCHER, "system/Observation.s", "*"),
                new SmartClients.Registration(AML_REGISTRY, "system/*.rs", "NKAML-P1"),
                new SmartClients.Registration(AUDITOR, "system/AuditEvent.rs", "*"))
                .forEach((key, value) -> r.add(key, () -> value));
    }

    @Value("${local.server.port}")
    int port;

    String base() {
        return "http://localhost:" + port;
    }

    String fhir() {
        return base() + "/fhir";
    }

    String tokenEndpoint() {
        return base() + "/oauth2/token";
    }

    @BeforeAll
    void demoDataLanded() throws Exception {
        String token = accessToken(tokenEndpoint(), REGISTRY, "system/Patient.rs");
        long until = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < until) {
            HttpResponse<String> r = get(fhir() + "/Patient/" + PATIENT, token);
            if (r.statusCode() == 200) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the demo studies did not land");
    }

    @Test
    void publicDocumentsNeedNoToken() throws Exception {
        HttpResponse<String> metadata = get(fhir() + "/metadata", null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        JsonNode rest = json(metadata).get("rest").get(0);
        assertThat(rest.at("/security/service/0/coding/0/code").asText()).isEqualTo("SMART-on-FHIR");
        // it describes what a client may do: reads, no writes, even with security on
        // (but for the rest-hook Subscriptions an EHR registers, server/subscription)
        StringBuilder others = new StringBuilder(rest.path("interaction").toString());
        for (JsonNode r : rest.get("resource")) {
            if (!r.get("type").asText().equals("Subscription")) others.append(r);
        }
        assertThat(others.toString()).contains("\"search-type\"").doesNotContain("\"create\"").doesNotContain("\"delete\"");
        assertThat(SmartClients.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/actuator/health/readiness"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(200, 503);
        HttpResponse<String> smart = get(fhir() + "/.well-known/smart-configuration", null);
        assertThat(smart.statusCode()).isEqualTo(200);
        JsonNode doc = json(smart);
        assertThat(doc.get("token_endpoint").asText()).isEqualTo(tokenEndpoint());
        assertThat(doc.get("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
        assertThat(doc.get("token_endpoint_auth_signing_alg_values_supported").toString()).contains("RS384", "ES384");
        assertThat(doc.get("grant_types_supported").toString()).contains("client_credentials");
        assertThat(get(base() + "/oauth2/jwks", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRegistryGetsATokenAndReadsEverything() throws Exception {
        HttpResponse<String> tokenResponse = tokenRequest(tokenEndpoint(), "system/*.rs", REGISTRY.assertion(tokenEndpoint()));
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        JsonNode t = json(tokenResponse);
        assertThat(t.get("token_type").asText()).isEqualToIgnoringCase("Bearer");
        assertThat(t.get("expires_in").asInt()).isBetween(1, 300);
        assertThat(t.get("scope").asText()).isEqualTo("system/*.rs");
        String token = t.get("access_token").asText();
        HttpResponse<String> patients = get(fhir() + "/Patient?_count=5", token);
        assertThat(patients.statusCode()).isEqualTo(200);
        assertThat(json(patients).get("entry")).isNotEmpty();
        HttpResponse<String> everything = get(fhir() + "/Patient/" + PATIENT + "/$everything", token);
        assertThat(everything.statusCode()).isEqualTo(200);
        assertThat(get(fhir() + "/AdverseEvent?subject=Patient/" + PATIENT + "&_include=AdverseEvent:subject", token)
                .statusCode()).isEqualTo(200);
        // reads only: no scope grants a write
        assertThat(post(fhir() + "/Patient", token, "application/fhir+json", "{\"resourceType\":\"Patient\"}").statusCode())
                .isEqualTo(403);
    }

    @Test
    void anEhrWithNarrowScopesSeesOnlyItsTypesOnEveryPath() throws Exception {
        String token = accessToken(tokenEndpoint(), EHR, "system/Patient.rs system/Procedure.rs"); // ES384 assertion
        assertThat(get(fhir() + "/Procedure?patient=Patient/" + PATIENT, token).statusCode()).isEqualTo(200);
        assertThat(get(fhir() + "/Procedure?patient=Patient/" + PATIENT + "&_include=Procedure:patient", token).statusCode())
                .isEqualTo(200);
        assertThat(get(fhir() + "/AdverseEvent", token).statusCode()).isEqualTo(403);
        // other types reached through includes, $everything and history are refused too
        assertThat(get(fhir() + "/Patient?_id=" + PATIENT + "&_revinclude=AdverseEvent:subject", token).statusCode()).isEqualTo(403);
        assertThat(get(fhir() + "/Patient/" + PATIENT + "/$everything", token).statusCode()).isEqualTo(403);
        assertThat(get(fhir() + "/AdverseEvent/_history", token).statusCode()).isEqualTo(403);
        // a scope it is not registered for is not granted
        HttpResponse<String> wider = tokenRequest(tokenEndpoint(), "system/*.rs", EHR.assertion(tokenEndpoint()));
        assertThat(wider.statusCode()).isEqualTo(400);
        assertThat(json(wider).get("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void aClientSeesOnlyItsStudiesOnEveryPath() throws Exception {
        String all = accessToken(tokenEndpoint(), REGISTRY, "system/*.rs");
        String aml = accessToken(tokenEndpoint(), AML_REGISTRY, "system/*.rs");
        assertThat(get(fhir() + "/Patient/" + OTHER_STUDY_PATIENT, all).statusCode()).isEqualTo(200);
        assertThat(ids(get(fhir() + "/Patient?_count=100", all))).anyMatch(id -> id.startsWith("NKNB-P12"));

        // searches are narrowed (totals count only what it may see), reads of the other study answer as if absent
        HttpResponse<String> patients = get(fhir() + "/Patient?_count=100&_total=accurate", aml);
        assertThat(ids(patients)).isNotEmpty().allMatch(id -> id.startsWith("NKAML-P1-"));
        assertThat(json(patients).get("total").asInt()).isEqualTo(ids(patients).size());
        assertThat(get(fhir() + "/Patient/" + OTHER_STUDY_PATIENT, aml).statusCode()).isEqualTo(404);
        assertThat(get(fhir() + "/Patient/" + OTHER_STUDY_PATIENT + "/$everything", aml).statusCode()).isEqualTo(404);
        assertThat(get(fhir() + "/Patient/" + OTHER_STUDY_PATIENT + "/_history", aml).statusCode()).isEqualTo(404);
        assertThat(ids(get(fhir() + "/Procedure?patient=Patient/" + OTHER_STUDY_PATIENT, aml))).isEmpty();
        assertThat(ids(get(fhir() + "/Procedure?patient.identifier=NKNB-P12-01-001", aml))).isEmpty();
        assertThat(ids(get(fhir() + "/ResearchStudy", aml))).containsExactly("NKAML-P1");
        // what includes, $everything and history would add from the other study is left out
        assertThat(ids(get(fhir() + "/ResearchSubject?_include=ResearchSubject:study&_count=100", aml)))
                .allMatch(id -> id.startsWith("NKAML-P1"));
        HttpResponse<String> everything = get(fhir() + "/Patient/" + PATIENT + "/$everything?_count=500", aml);
        assertThat(everything.statusCode()).isEqualTo(200);
        assertThat(ids(everything)).isNotEmpty().allMatch(id -> id.contains("NKAML-P1"));
        assertThat(ids(get(fhir() + "/_history?_count=500", aml))).isNotEmpty().noneMatch(id -> id.contains("NKNB"));
        // conformance resources have no study and stay visible
        assertThat(get(fhir() + "/StructureDefinition?_count=1", aml).statusCode()).isEqualTo(200);
        assertThat(ids(get(fhir() + "/StructureDefinition?_count=1", aml))).isNotEmpty();
    }

    @Test
    void everyAccessIsAuditedAndOnlyTheAuditorReadsTheTrail() throws Exception {
        String marker = "audit-" + UUID.randomUUID();
        assertThat(get(fhir() + "/Patient?name=" + marker, null).statusCode()).isEqualTo(401);
        String aml = accessToken(tokenEndpoint(), AML_REGISTRY, "system/*.rs");
        assertThat(get(fhir() + "/Patient/" + PATIENT, aml).statusCode()).isEqualTo(200);
        assertThat(get(fhir() + "/AuditEvent", aml).statusCode()).as("a wildcard does not reach the trail").isEqualTo(403);

        String auditor = accessToken(tokenEndpoint(), AUDITOR, "system/AuditEvent.rs");
        long until = System.currentTimeMillis() + 30_000;
        JsonNode refused = null;
        JsonNode read = null;
        while ((refused == null || read == null) && System.currentTimeMillis() < until) {
            HttpResponse<String> trail = get(fhir() + "/AuditEvent?_count=500", auditor);
            assertThat(trail.statusCode()).isEqualTo(200);
            refused = null;
            read = null;
            for (JsonNode e : json(trail).path("entry")) {
                JsonNode event = e.get("resource");
                String query = new String(java.util.Base64.getDecoder().decode(event.path("entity").get(0).path("query").asText("")));
                if (query.contains("name=" + marker)) {
                    refused = event;
                }
                if (query.equals("GET /fhir/Patient/" + PATIENT) && "aml-registry".equals(
                        event.path("agent").get(0).path("who").path("identifier").path("value").asText())) {
                    read = event;
                }
            }
            if (refused == null || read == null) {
                Thread.sleep(500);
            }
        }
        assertThat(refused).as("the refused request is in the trail").isNotNull();
        assertThat(refused.get("outcome").asText()).isEqualTo("4");
        assertThat(refused.path("agent").get(0).path("who").path("display").asText()).isEqualTo("unauthenticated");
        assertThat(read).as("the read is in the trail").isNotNull();
        assertThat(read.get("outcome").asText()).isEqualTo("0");
        assertThat(read.path("subtype").get(0).path("code").asText()).isEqualTo("read");
        assertThat(read.path("entity").toString()).contains("Patient/" + PATIENT);
        // token requests are in the trail too, and none of it is readable by a study-restricted client
        assertThat(get(fhir() + "/AuditEvent?_count=1", aml).statusCode()).isEqualTo(403);
    }

    @Test
    void ingestRunsAreInTheAuditTrail() throws Exception {
        // the demo studies were ingested at start (seed-demo-studies): one "Import" event per delivery run
        String auditor = accessToken(tokenEndpoint(), AUDITOR, "system/AuditEvent.rs");
        List<JsonNode> runs = new java.util.ArrayList<>();
        long until = System.currentTimeMillis() + 30_000;
        while (runs.size() < 2 && System.currentTimeMillis() < until) {
            HttpResponse<String> trail = get(fhir() + "/AuditEvent?type=http://dicom.nema.org/resources/ontology/DCM%7C110107&_count=100", auditor);
            assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
            runs.clear();
            json(trail).path("entry").forEach(e -> runs.add(e.get("resource")));
            if (runs.size() < 2) {
                Thread.sleep(500);
            }
        }
        assertThat(runs).as("an Import event for each demo study's delivery").hasSizeGreaterThanOrEqualTo(2);
        for (JsonNode run : runs) {
            assertThat(run.path("subtype").get(0).path("code").asText()).isEqualTo("ingest-delivery");
            assertThat(run.path("action").asText()).isEqualTo("C");
            JsonNode delivery = run.path("entity").get(0);
            assertThat(delivery.path("what").path("identifier").path("system").asText()).isEqualTo("https://fhir.celltrial.org/sid/delivery");
            assertThat(delivery.path("name").asText()).isNotBlank();
            java.util.Map<String, Integer> counts = new java.util.HashMap<>();
            delivery.path("detail").forEach(d -> counts.put(d.path("type").asText(), Integer.parseInt(d.path("valueString").asText())));
            assertThat(counts.get("recordsRead")).isPositive();
            assertThat(counts.get("recordsStored") + counts.get("recordsRejected")).isEqualTo(counts.get("recordsRead"));
            assertThat(run.path("outcome").asText()).isEqualTo(counts.get("recordsRejected") == 0 ? "0" : "4");
            assertThat(run.path("agent").get(0).path("requestor").asBoolean()).isTrue();
            assertThat(run.path("period").path("start").asText()).isNotBlank();
        }
    }

    private static List<String> ids(HttpResponse<String> bundle) throws java.io.IOException {
        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
        List<String> ids = new java.util.ArrayList<>();
        JsonNode entries = json(bundle).get("entry");
        if (entries != null) {
            entries.forEach(e -> {
                if (e.has("resource") && !"OperationOutcome".equals(e.get("resource").get("resourceType").asText())) {
                    ids.add(e.get("resource").get("id").asText());
                }
            });
        }
        return ids;
    }

    @Test
    void searchOnlyAndReadOnlyScopesAreKeptApart() throws Exception {
        String token = accessToken(tokenEndpoint(), SEARCHER, "system/Observation.s");
        HttpResponse<String> search = get(fhir() + "/Observation?_count=1", token);
        assertThat(search.statusCode()).isEqualTo(200);
        String id = json(search).get("entry").get(0).get("resource").get("id").asText();
        assertThat(get(fhir() + "/Observation/" + id, token).statusCode()).isEqualTo(403);
    }

    @Test
    void theAdminApiNeedsTheAdminScope() throws Exception {
        assertThat(get(base() + "/api/deliveries", null).statusCode()).isEqualTo(401);
        String registry = accessToken(tokenEndpoint(), REGISTRY, "system/*.rs");
        assertThat(get(base() + "/api/deliveries", registry).statusCode()).isEqualTo(403);
        assertThat(post(base() + "/api/mappings/reload", registry, "application/json", "{}").statusCode()).isEqualTo(403);
        String admin = accessToken(tokenEndpoint(), ADMIN, "system/celltrial-admin");
        assertThat(get(base() + "/api/deliveries", admin).statusCode()).isEqualTo(200);
        // and the admin scope reads no patient data
        assertThat(get(fhir() + "/Patient", admin).statusCode()).isEqualTo(403);
    }

    @Test
    void badAssertionsGetNoToken() throws Exception {
        String endpoint = tokenEndpoint();
        String used = REGISTRY.assertion(endpoint);
        assertThat(tokenRequest(endpoint, "system/*.rs", used).statusCode()).isEqualTo(200);
        assertThat(tokenRequest(endpoint, "system/*.rs", used).statusCode()).as("replayed").isEqualTo(401);
        assertThat(tokenRequest(endpoint, "system/*.rs", REGISTRY.assertion(base() + "/somewhere-else")).statusCode())
                .as("wrong audience").isEqualTo(401);
        assertThat(tokenRequest(endpoint, "system/*.rs", REGISTRY.assertion(endpoint, Instant.now().minusSeconds(600),
                UUID.randomUUID().toString(), REGISTRY.key())).statusCode()).as("expired").isEqualTo(401);
        assertThat(tokenRequest(endpoint, "system/*.rs", REGISTRY.assertion(endpoint, Instant.now().plusSeconds(3600),
                UUID.randomUUID().toString(), REGISTRY.key())).statusCode()).as("valid for an hour").isEqualTo(401);
        assertThat(tokenRequest(endpoint, "system/*.rs", REGISTRY.assertion(endpoint, Instant.now().plusSeconds(200),
                UUID.randomUUID().toString(), Client.rsa("registry").key())).statusCode()).as("signed by another key").isEqualTo(401);
        assertThat(tokenRequest(endpoint, "system/*.rs", REGISTRY.assertion(endpoint, Instant.now().plusSeconds(200),
                null, REGISTRY.key())).statusCode()).as("no jti").isEqualTo(401);
        assertThat(tokenRequest(endpoint, "system/*.rs", Client.rsa("stranger").assertion(endpoint)).statusCode())
                .as("unknown client").isEqualTo(401);
    }

    @Test
    void badTokensAreRefused() throws Exception {
        assertThat(get(fhir() + "/Patient", null).statusCode()).as("no token").isEqualTo(401);
        assertThat(get(fhir() + "/Patient", "not-a-jwt").statusCode()).as("garbage").isEqualTo(401);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("registry").claim("scope", List.of("system/*.rs"));
        String expired = SmartClients.sign(claims.expirationTime(Date.from(Instant.now().minusSeconds(600))).build(),
                SERVER_KEY, JWSAlgorithm.RS256);
        assertThat(get(fhir() + "/Patient", expired).statusCode()).as("expired").isEqualTo(401);
        String forged = SmartClients.sign(claims.expirationTime(Date.from(Instant.now().plusSeconds(200))).build(),
                Client.rsa("forger").key(), JWSAlgorithm.RS256);
        assertThat(get(fhir() + "/Patient", forged).statusCode()).as("bad signature").isEqualTo(401);
        String valid = SmartClients.sign(claims.expirationTime(Date.from(Instant.now().plusSeconds(200))).build(),
                SERVER_KEY, JWSAlgorithm.RS256);
        assertThat(get(fhir() + "/Patient", valid).statusCode()).as("signed with the server's key").isEqualTo(200);
        // the 401 says how to authenticate, and leaks nothing
        HttpResponse<String> refused = get(fhir() + "/Patient", expired);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain(PATIENT);
    }
}
