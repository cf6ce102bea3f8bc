package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.it.SmartClients.Client;
import static org.celltrial.adapter.it.SmartClients.HTTP;
import static org.celltrial.adapter.it.SmartClients.accessToken;
import static org.celltrial.adapter.it.SmartClients.json;

/**
 * Issue 17's "done when", driven as its two users would, against one running adapter with security on and the demo
 * studies ingested at start:
 * <ul>
 *   <li>a registry registered with its key (configuration) gets a token, searches its study, exports its study's
 *       Group as NDJSON, and is refused another study's data and the admin API;</li>
 *   <li>an EHR registers a rest-hook Subscription for its trial patient's procedures and its endpoint (a real HTTP
 *       receiver) gets the new Procedure a delivery brings;</li>
 *   <li>an auth matrix: no token, garbage, expired, bad signature, a token without the scope, a client of another
 *       study and a client with the family's scope, over every endpoint family (read, search, chained search, _include, $everything,
 *       _history, batch, Bulk export, Subscription, AuditEvent, the admin API) and the token endpoint's assertion
 *       checks (wrong audience, replayed);</li>
 *   <li>the audit trail holds all of it.</li>
 * </ul>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryAndEhrFlowIT {

    static final Path DATA = TestData.newDataDir("flow");
    static final Client REGISTRY = Client.rsa("flow-registry");      // system/*.rs, the AML study
    static final Client EHR = Client.ec("flow-ehr");                 // Patient, Procedure, Subscription; the AML study
    static final Client NB_REGISTRY = Client.rsa("flow-nb-registry"); // system/*.rs, the neuroblastoma study only
    static final Client OBSERVER = Client.rsa("flow-observer");      // system/Observation.rs only, every study
    static final Client AUDITOR = Client.rsa("flow-auditor");        // system/AuditEvent.rs
    static final Client ADMIN = Client.rsa("flow-admin");            // system/celltrial-admin
    static final String STUDY = "NKAML-P1";
    static final String SUBJECT = "NKAML-P1-01-001";
    static final String PATIENT = "NKAML-P1-" + SUBJECT;
    static final String OTHER_PATIENT = "NKNB-P12-NKNB-P12-01-001";
    static final String USUBJID = "https://fhir.celltrial.org/sid/usubjid";
    static final RSAKey SERVER_KEY = serverKey();
    static final RestHookReceiver EHR_ENDPOINT = receiver();

    private static RSAKey serverKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("flow-server").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RestHookReceiver receiver() {
        try {
            return new RestHookReceiver();
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
        r.add("celltrial.bulk.retry-after", () -> "1");
        r.add("celltrial.subscriptions.allow-local-endpoints", () -> "true"); // the receiver is on this machine
        SmartClients.settings(
                new SmartClients.Registration(REGISTRY, "system/*.rs", STUDY),
                new SmartClients.Registration(EHR, "system/Patient.rs,system/Procedure.rs,system/Subscription.cruds", STUDY),
                new SmartClients.Registration(NB_REGISTRY, "system/*.rs", "NKNB-P12"),
                new SmartClients.Registration(OBSERVER, "system/Observation.rs", "*"),
                new SmartClients.Registration(AUDITOR, "system/AuditEvent.rs", "*"),
                new SmartClients.Registration(ADMIN, "system/celltrial-admin", ""))
                .forEach((key, value) -> r.add(key, () -> value));
    }

    @Value("${local.server.port}")
    int port;
    AdapterHarness harness;

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
        harness = new AdapterHarness(DATA, port);
        String token = accessToken(tokenEndpoint(), REGISTRY, "system/Patient.rs");
        long until = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < until) {
            if (send("GET", fhir() + "/Patient/" + PATIENT, token, null, null).statusCode() == 200) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the demo studies did not land");
    }

    @AfterAll
    void stopReceiver() {
        EHR_ENDPOINT.close();
    }

    @Test
    @Order(1)
    void aRegistrySearchesAndExportsItsStudyAndIsRefusedTheRest() throws Exception {
        String token = accessToken(tokenEndpoint(), REGISTRY, "system/*.rs");

        // search its study: patients, and a patient's procedures by the subject identifier (a chained search)
        Set<String> patients = ids(send("GET", fhir() + "/Patient?_count=200", token, null, null));
        assertThat(patients).isNotEmpty().allMatch(id -> id.startsWith(STUDY + "-"));
        // counts too count only its study's
        for (String countOnly : List.of("_summary=count", "_count=0&_total=accurate")) {
            HttpResponse<String> count = send("GET", fhir() + "/Patient?" + countOnly, token, null, null);
            assertThat(json(count).path("total").asInt()).as(countOnly + ": " + count.body()).isEqualTo(patients.size());
        }
        Set<String> procedures = ids(send("GET", fhir() + "/Procedure?patient.identifier=" + USUBJID + "%7C" + SUBJECT,
                token, null, null));
        assertThat(procedures).isNotEmpty();

        // export its study's Group as NDJSON: the same patients and procedures as its searches
        HttpResponse<String> kickOff = send("GET", fhir() + "/Group/study-" + STUDY + "/$export?_type=Patient,Procedure",
                token, null, "respond-async");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        JsonNode manifest = poll(status, token);
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        Map<String, List<Resource>> exported = download(manifest, token);
        assertThat(idsOf(exported.get("Patient"))).isEqualTo(patients);
        Set<String> allProcedures = ids(send("GET", fhir() + "/Procedure?_count=1000", token, null, null));
        assertThat(idsOf(exported.get("Procedure"))).isEqualTo(allProcedures).containsAll(procedures);
        assertThat(send("DELETE", status, token, null, null).statusCode()).isEqualTo(202);

        // another study's data answers as if it did not exist; the admin API needs its own scope
        assertThat(send("GET", fhir() + "/Patient/" + OTHER_PATIENT, token, null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", fhir() + "/Group/study-NKNB-P12/$export", token, null, "respond-async").statusCode()).isEqualTo(404);
        assertThat(ids(send("GET", fhir() + "/Patient?_id=" + OTHER_PATIENT, token, null, null))).isEmpty();
        assertThat(send("GET", base() + "/api/deliveries", token, null, null).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void anEhrsRestHookGetsTheNewProcedureOfItsPatientAfterADelivery() throws Exception {
        String token = accessToken(tokenEndpoint(), EHR, "system/Procedure.rs system/Subscription.cruds");
        String criteria = "Procedure?patient.identifier=" + USUBJID + "|" + SUBJECT;
        String id = RestHookSubscriptionIT.register(fhir(), token, criteria, EHR_ENDPOINT.endpoint());
        assertThat(id).isNotBlank();

        long dropped = System.nanoTime();
        RestHookSubscriptionIT.deliverProcedures(harness, DATA, "flow-pr", "31", SUBJECT, "31", "NKAML-P1-01-002");
        String procedure = RestHookSubscriptionIT.procedureId(SUBJECT, "31");
        RestHookReceiver.Received got = EHR_ENDPOINT.await(r -> RestHookSubscriptionIT.isProcedure(r, procedure),
                Duration.ofSeconds(30));
        assertThat(SmartClients.JSON.readTree(got.body()).get("id").asText()).isEqualTo(procedure);
        assertThat(got.authorization()).isEqualTo("Bearer ehr-secret-1");
        assertThat(EHR_ENDPOINT.count(r -> RestHookSubscriptionIT.isProcedure(r,
                RestHookSubscriptionIT.procedureId("NKAML-P1-01-002", "31")))).as("the other patient's").isZero();
        System.out.printf("rest-hook notified %d ms after the delivery was dropped%n", (System.nanoTime() - dropped) / 1_000_000);
    }

    /** One kind of credential: how it gets a token. */
    private record Caller(String name, String token) {
    }

    /** One endpoint family: a request, the token of a client with the scope it needs, and what that client gets. */
    private record Family(String name, String method, String path, String body, String prefer, String rightToken,
                          int allowed) {
    }

    @Test
    @Order(3)
    void authMatrixOverEveryEndpointFamily() throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(REGISTRY.id()).claim("scope", List.of("system/*.rs"));
        List<Caller> callers = List.of(
                new Caller("no token", null),
                new Caller("garbage", "not-a-jwt"),
                new Caller("expired", SmartClients.sign(claims.expirationTime(Date.from(Instant.now().minusSeconds(600))).build(),
                        SERVER_KEY, JWSAlgorithm.RS256)),
                new Caller("bad signature", SmartClients.sign(claims.expirationTime(Date.from(Instant.now().plusSeconds(300))).build(),
                        Client.rsa("forger").key(), JWSAlgorithm.RS256)),
                new Caller("wrong scope", accessToken(tokenEndpoint(), OBSERVER, "system/Observation.rs")),
                new Caller("other study", accessToken(tokenEndpoint(), NB_REGISTRY, "system/*.rs")),
                new Caller("right scope", null)); // the family's own: see Family.rightToken
        String registry = accessToken(tokenEndpoint(), REGISTRY, "system/*.rs");
        String ehr = accessToken(tokenEndpoint(), EHR, "system/Subscription.cruds");
        String auditor = accessToken(tokenEndpoint(), AUDITOR, "system/AuditEvent.rs");
        String admin = accessToken(tokenEndpoint(), ADMIN, "system/celltrial-admin");
        String batch = """
                {"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Patient/%s"}}]}"""
                .formatted(PATIENT);
        String subscription = RestHookSubscriptionIT.subscription("Procedure?patient=Patient/" + PATIENT, EHR_ENDPOINT.endpoint());
        List<Family> families = List.of(
                new Family("read", "GET", "/fhir/Patient/" + PATIENT, null, null, registry, 200),
                new Family("search", "GET", "/fhir/Procedure?patient=Patient/" + PATIENT, null, null, registry, 200),
                new Family("chained search", "GET", "/fhir/Procedure?patient.identifier=" + USUBJID + "%7C" + SUBJECT, null,
                        null, registry, 200),
                new Family("_include", "GET", "/fhir/Procedure?patient=Patient/" + PATIENT + "&_include=Procedure:patient",
                        null, null, registry, 200),
                new Family("$everything", "GET", "/fhir/Patient/" + PATIENT + "/$everything", null, null, registry, 200),
                new Family("_history", "GET", "/fhir/Patient/" + PATIENT + "/_history", null, null, registry, 200),
                new Family("batch", "POST", "/fhir", batch, null, registry, 200),
                new Family("$export", "GET", "/fhir/Group/study-" + STUDY + "/$export?_type=Patient", null, "respond-async",
                        registry, 202),
                new Family("Subscription", "POST", "/fhir/Subscription", subscription, null, ehr, 201),
                new Family("AuditEvent", "GET", "/fhir/AuditEvent?_count=1", null, null, auditor, 200),
                new Family("admin API", "GET", "/api/deliveries", null, null, admin, 200));

        Map<String, String> got = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Family f : families) {
            for (Caller c : callers) {
                String token = c.name().equals("right scope") ? f.rightToken() : c.token();
                HttpResponse<String> r = send(f.method(), base() + f.path(), token, f.body(), f.prefer());
                int expected = expected(c.name(), f);
                String cell = f.name() + " / " + c.name();
                // a batch answers 200 and each entry on its own (FHIR): its one entry's status is the cell's
                int status = f.name().equals("batch") && r.statusCode() == 200
                        ? Integer.parseInt(json(r).path("entry").get(0).path("response").path("status").asText().split(" ")[0])
                        : r.statusCode();
                got.put(cell, String.valueOf(status));
                boolean ok = expected == status;
                if (ok && c.name().equals("other study") && r.statusCode() == 200) {
                    // answered, but with nothing of the AML study
                    ok = ids(r).stream().noneMatch(id -> id.startsWith(STUDY));
                }
                if (!ok) {
                    wrong.add(cell + ": " + status + ", expected " + expected);
                }
                // no refusal leaks a stack trace or a record value
                if (r.statusCode() >= 400) {
                    assertThat(r.body()).as(cell).doesNotContain("Exception").doesNotContain("at org.");
                }
            }
        }
        assertThat(wrong).as("every cell of the matrix: %s", got).isEmpty();

        // the token endpoint: a wrong audience and a replayed assertion get no token
        String used = REGISTRY.assertion(tokenEndpoint());
        assertThat(SmartClients.tokenRequest(tokenEndpoint(), "system/*.rs", used).statusCode()).isEqualTo(200);
        assertThat(SmartClients.tokenRequest(tokenEndpoint(), "system/*.rs", used).statusCode()).as("replayed").isEqualTo(401);
        assertThat(SmartClients.tokenRequest(tokenEndpoint(), "system/*.rs", REGISTRY.assertion(base() + "/elsewhere"))
                .statusCode()).as("wrong audience").isEqualTo(401);
    }

    /** What each kind of caller gets from each family. */
    private static int expected(String caller, Family f) {
        switch (caller) {
            case "no token", "garbage", "expired", "bad signature":
                return 401;
            case "wrong scope": // Observation only: every family needs another scope
                return 403;
            case "other study": // all-resources scope, the other study: reads of this study's data answer as absent
                return switch (f.name()) {
                    case "read", "$everything", "_history", "$export", "batch" -> 404; // the batch's entry reads
                    case "Subscription", "AuditEvent", "admin API" -> 403; // each needs a scope of its own, not *.rs
                    default -> 200; // searches: answered, with nothing of this study
                };
            default: // the client with the family's scope, of this study
                return f.allowed();
        }
    }

    @Test
    @Order(4)
    void theAuditTrailHoldsAllOfIt() throws Exception {
        String auditor = accessToken(tokenEndpoint(), AUDITOR, "system/AuditEvent.rs");
        Set<String> seen = new HashSet<>();
        long until = System.currentTimeMillis() + 30_000;
        Set<String> wanted = Set.of("token:flow-registry", "token:flow-ehr", "search-type:flow-registry",
                "$export:flow-registry", "create:flow-ehr", "refused:flow-nb-registry", "refused:unauthenticated",
                "ingest-delivery");
        while (!seen.containsAll(wanted) && System.currentTimeMillis() < until) {
            seen.clear();
            String next = fhir() + "/AuditEvent?_count=500";
            while (next != null) {
                HttpResponse<String> page = send("GET", next, auditor, null, null);
                assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                JsonNode bundle = json(page);
                for (JsonNode e : bundle.path("entry")) {
                    JsonNode event = e.get("resource");
                    String subtype = event.path("subtype").get(0).path("code").asText();
                    JsonNode who = event.path("agent").get(0).path("who");
                    String client = who.path("identifier").path("value").asText(who.path("display").asText());
                    if (event.path("type").path("code").asText().equals("110114")) {
                        seen.add("token:" + client);
                    } else if (subtype.startsWith("ingest-")) {
                        seen.add(subtype);
                    } else {
                        seen.add(subtype + ":" + client);
                    }
                    if (!event.path("outcome").asText().equals("0")) {
                        seen.add("refused:" + client);
                    }
                }
                next = null;
                for (JsonNode link : bundle.path("link")) {
                    if (link.path("relation").asText().equals("next")) {
                        next = link.path("url").asText();
                    }
                }
            }
            if (!seen.containsAll(wanted)) {
                Thread.sleep(500);
            }
        }
        assertThat(seen).containsAll(wanted);
    }

    // ---- HTTP as a client sends it ------------------------------------------------------------------------------

    HttpResponse<String> send(String method, String url, String token, String body, String prefer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (prefer != null) {
            b.header("Prefer", prefer);
        }
        if (body != null) {
            b.header("Content-Type", "application/fhir+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode poll(String statusUrl, String token) throws Exception {
        long until = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < until) {
            HttpResponse<String> r = send("GET", statusUrl, token, null, null);
            if (r.statusCode() == 200) {
                return json(r);
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            Thread.sleep(500);
        }
        throw new AssertionError("the export did not finish in 3 minutes");
    }

    Map<String, List<Resource>> download(JsonNode manifest, String token) throws Exception {
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        Map<String, List<Resource>> byType = new LinkedHashMap<>();
        for (JsonNode output : manifest.get("output")) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(output.get("url").asText()))
                    .header("Accept", "application/fhir+ndjson").header("Authorization", "Bearer " + token).GET();
            HttpResponse<String> file = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
            for (String line : file.body().split("\n")) {
                if (!line.isBlank()) {
                    Resource r = (Resource) parser.parseResource(line);
                    byType.computeIfAbsent(r.fhirType(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        return byType;
    }

    static Set<String> idsOf(List<Resource> resources) {
        Set<String> ids = new HashSet<>();
        if (resources != null) {
            resources.forEach(r -> ids.add(r.getIdElement().getIdPart()));
        }
        return ids;
    }

    static Set<String> ids(HttpResponse<String> bundle) throws Exception {
        assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        for (JsonNode e : json(bundle).path("entry")) {
            if (e.has("resource") && !"OperationOutcome".equals(e.get("resource").get("resourceType").asText())) {
                ids.add(e.get("resource").get("id").asText());
            }
        }
        return ids;
    }
}
