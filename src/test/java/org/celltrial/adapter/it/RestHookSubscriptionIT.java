package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.CellTrialFhirAdapterApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An EHR registers an R4 rest-hook Subscription over HTTP for its trial patient's procedures
 * ({@code Procedure?patient.identifier=<usubjid system>|<USUBJID>}, as our mapping writes the identifier) and a real
 * HTTP receiver gets the new Procedure within seconds of the delivery landing: not the other patient's; after its
 * endpoint failed for a while (status error, then active again); and after the application was stopped with the
 * notification pending and started again on the same database (H2 here, PostgreSQL in {@link #pendingNotificationSurvivesARestartOnPostgres}).
 */
class RestHookSubscriptionIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final String USUBJID_SYSTEM = "https://fhir.celltrial.org/sid/usubjid";
    static final String SUBJECT = "NKAML-P1-01-001";
    static final String OTHER_SUBJECT = "NKAML-P1-01-002";
    static final String CRITERIA = "Procedure?patient.identifier=" + USUBJID_SYSTEM + "|" + SUBJECT;
    static final Duration WITHIN_SECONDS = Duration.ofSeconds(20);

    /** A running adapter in this JVM, started (and started again) on one data folder and database. */
    static final class App implements AutoCloseable {
        final List<String> args;
        ConfigurableApplicationContext ctx;

        App(List<String> args) {
            this.args = args;
        }

        App start() {
            ctx = new SpringApplicationBuilder(CellTrialFhirAdapterApplication.class).run(args.toArray(String[]::new));
            return this;
        }

        String fhir() {
            return "http://localhost:" + ctx.getEnvironment().getProperty("local.server.port") + "/fhir";
        }

        int outboxRows() {
            Integer n = ctx.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM ct_subscription_outbox", Integer.class);
            return n == null ? 0 : n;
        }

        @Override
        public void close() {
            if (ctx != null) {
                ctx.close();
                ctx = null;
            }
        }
    }

    static List<String> h2Args(Path data) {
        return new ArrayList<>(List.of("--server.port=0", "--celltrial.data-dir=" + data,
                "--celltrial.ingest.seed-demo-studies=false", "--celltrial.ingest.poll-interval-ms=200",
                "--celltrial.ingest.quiet-period-ms=300",
                // the receiver listens on loopback, which production refuses (SSRF)
                "--celltrial.subscriptions.allow-local-endpoints=true",
                "--celltrial.subscriptions.initial-backoff=300ms", "--celltrial.subscriptions.max-backoff=1s",
                "--celltrial.subscriptions.error-after-failures=2"));
    }

    /** The AML demo study's PR dataset with extra rows (PRSEQ, USUBJID), as a delivery of its own. */
    static void deliverProcedures(AdapterHarness harness, Path data, String name, String... seqAndSubject) throws Exception {
        deliverStudyProcedures(harness, data, "nk-aml-haplo", "NKAML-P1", name, seqAndSubject);
    }

    static void deliverStudyProcedures(AdapterHarness harness, Path data, String demo, String study, String name,
                                  String... seqAndSubject) throws Exception {
        Path dir = data.resolve("src-" + name);
        Files.createDirectories(dir);
        StringBuilder pr = new StringBuilder(Files.readString(AdapterHarness.DEMO.resolve(demo + "/pr.csv")));
        if (pr.charAt(pr.length() - 1) != '\n') pr.append('\n');
        for (int i = 0; i < seqAndSubject.length; i += 2) {
            pr.append(study).append(",PR,").append(seqAndSubject[i + 1]).append(',').append(seqAndSubject[i])
                    .append(",NK CELL INFUSION,CELLULAR THERAPY,CELL THERAPY,Y,2021-06-01,2021-06-01,15,15\n");
        }
        Files.writeString(dir.resolve("pr.csv"), pr);
        harness.dropFolder(dir, name);
        AdapterHarness.Outcome outcome = harness.awaitOutcome(name, Duration.ofMinutes(3));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
    }

    static String procedureId(String subject, String seq) {
        return "NKAML-P1-" + subject + "-PR-" + seq;
    }

    static HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/fhir+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String subscription(String criteria, String endpoint) {
        return """
                {"resourceType":"Subscription","status":"requested","reason":"EHR import of trial procedures",
                 "criteria":"%s",
                 "channel":{"type":"rest-hook","endpoint":"%s","payload":"application/fhir+json",
                            "header":["Authorization: Bearer ehr-secret-1"]}}""".formatted(criteria, endpoint);
    }

    /** Registers a Subscription over HTTP; returns its id. */
    static String register(String fhir, String token, String criteria, String endpoint) throws Exception {
        HttpResponse<String> created = send("POST", fhir + "/Subscription", token, subscription(criteria, endpoint));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = JSON.readTree(created.body());
        assertThat(s.get("status").asText()).isEqualTo("active");
        return s.get("id").asText();
    }

    static JsonNode read(String fhir, String token, String ref) throws Exception {
        HttpResponse<String> r = send("GET", fhir + "/" + ref, token, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static void awaitStatus(String fhir, String token, String id, String status) throws Exception {
        long end = System.nanoTime() + WITHIN_SECONDS.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            last = read(fhir, token, "Subscription/" + id).get("status").asText();
            if (status.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Subscription status " + last + ", expected " + status);
    }

    static boolean isProcedure(RestHookReceiver.Received r, String id) {
        return r.method().equals("PUT") && r.path().equals("/ehr/fhir/Procedure/" + id);
    }

    @Test
    void anEhrIsNotifiedOfItsPatientsNewProcedureWithRetriesAndAcrossARestart() throws Exception {
        Path data = TestData.newDataDir("subs");
        try (RestHookReceiver ehr = new RestHookReceiver(); App app = new App(h2Args(data)).start()) {
            AdapterHarness harness = new AdapterHarness(data, 0);
            harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
            assertThat(harness.awaitOutcome("aml", Duration.ofMinutes(3)).area()).isEqualTo("done");

            // the CapabilityStatement lists what the EHR may do with Subscriptions, and the channel
            JsonNode metadata = JSON.readTree(send("GET", app.fhir() + "/metadata", null, null).body());
            JsonNode sub = null;
            for (JsonNode r : metadata.at("/rest/0/resource")) {
                if (r.get("type").asText().equals("Subscription")) sub = r;
            }
            assertThat(sub).isNotNull();
            assertThat(sub.get("interaction").findValuesAsText("code"))
                    .contains("create", "update", "delete", "read", "search-type").doesNotContain("patch");
            assertThat(sub.toString()).contains("subscription-channel-type").contains("rest-hook");

            // refused: not rest-hook, not http(s)
            assertThat(send("POST", app.fhir() + "/Subscription", null,
                    subscription(CRITERIA, "ftp://127.0.0.1/x")).statusCode()).isEqualTo(422);
            assertThat(send("POST", app.fhir() + "/Subscription", null,
                    subscription("Procedure?no-such-param=1", ehr.endpoint())).statusCode()).isEqualTo(422);

            String id = register(app.fhir(), null, CRITERIA, ehr.endpoint());
            long start = System.nanoTime();
            deliverProcedures(harness, data, "pr-new", "3", SUBJECT, "3", OTHER_SUBJECT);
            RestHookReceiver.Received got = ehr.await(r -> isProcedure(r, procedureId(SUBJECT, "3")), WITHIN_SECONDS);
            System.out.printf("notified %d ms after the delivery was dropped%n", (System.nanoTime() - start) / 1_000_000);
            JsonNode payload = JSON.readTree(got.body());
            assertThat(payload.get("resourceType").asText()).isEqualTo("Procedure");
            assertThat(payload.at("/subject/reference").asText()).isEqualTo("Patient/NKAML-P1-" + SUBJECT);
            assertThat(got.authorization()).isEqualTo("Bearer ehr-secret-1");
            // the other patient's procedure does not notify; nor do the unchanged rows written before
            Thread.sleep(2000);
            assertThat(ehr.count(r -> r.path().contains(OTHER_SUBJECT))).isZero();
            assertThat(ehr.count(r -> r.path().contains("-PR-1") || r.path().contains("-PR-2"))).isZero();
            assertThat(app.outboxRows()).isZero();

            // the endpoint fails: retried, status error with the reason; it recovers: delivered, status active
            ehr.failing = true;
            deliverProcedures(harness, data, "pr-retry", "3", SUBJECT, "3", OTHER_SUBJECT, "4", SUBJECT);
            awaitStatus(app.fhir(), null, id, "error");
            assertThat(read(app.fhir(), null, "Subscription/" + id).get("error").asText()).contains("HTTP 503");
            assertThat(ehr.count(r -> isProcedure(r, procedureId(SUBJECT, "4")))).isGreaterThanOrEqualTo(2);
            ehr.failing = false;
            ehr.await(r -> isProcedure(r, procedureId(SUBJECT, "4")), WITHIN_SECONDS);
            awaitStatus(app.fhir(), null, id, "active");

            // pending when the application stops: delivered after it starts again
            ehr.failing = true;
            int before = ehr.received.size();
            deliverProcedures(harness, data, "pr-restart", "3", SUBJECT, "3", OTHER_SUBJECT, "4", SUBJECT, "5", SUBJECT);
            long until = System.nanoTime() + WITHIN_SECONDS.toNanos();
            while (ehr.count(r -> isProcedure(r, procedureId(SUBJECT, "5"))) == 0 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(ehr.received.size()).isGreaterThan(before);
            assertThat(app.outboxRows()).isEqualTo(1);
            app.close();
            ehr.failing = false;
            app.start();
            ehr.await(r -> isProcedure(r, procedureId(SUBJECT, "5")), WITHIN_SECONDS);
            awaitStatus(app.fhir(), null, id, "active");
            assertThat(app.outboxRows()).isZero();
        }
    }

    @Test
    void pendingNotificationSurvivesARestartOnPostgres() throws Exception {
        Path data = TestData.newDataDir("subs-pg");
        String url = TestPostgres.freshDatabase("celltrial_it_subs");
        List<String> args = h2Args(data);
        args.addAll(List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + TestPostgres.USER, "--spring.datasource.password=" + TestPostgres.PASSWORD));
        try (RestHookReceiver ehr = new RestHookReceiver(); App app = new App(args).start()) {
            AdapterHarness harness = new AdapterHarness(data, 0);
            harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
            assertThat(harness.awaitOutcome("aml", Duration.ofMinutes(3)).area()).isEqualTo("done");
            register(app.fhir(), null, CRITERIA, ehr.endpoint());
            ehr.failing = true;
            deliverProcedures(harness, data, "pr-restart", "3", SUBJECT, "3", OTHER_SUBJECT);
            long until = System.nanoTime() + WITHIN_SECONDS.toNanos();
            while (ehr.received.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(ehr.received).isNotEmpty();
            // both new Procedures are queued; the other patient's waits behind the failing one, to be matched then
            assertThat(app.outboxRows()).isEqualTo(2);
            app.close();
            ehr.failing = false;
            app.start();
            RestHookReceiver.Received got = ehr.await(r -> isProcedure(r, procedureId(SUBJECT, "3")), WITHIN_SECONDS);
            assertThat(JSON.readTree(got.body()).at("/subject/reference").asText()).isEqualTo("Patient/NKAML-P1-" + SUBJECT);
            long until2 = System.nanoTime() + WITHIN_SECONDS.toNanos();
            while (app.outboxRows() > 0 && System.nanoTime() < until2) {
                Thread.sleep(100);
            }
            assertThat(app.outboxRows()).isZero();
            assertThat(ehr.count(r -> r.path().contains(OTHER_SUBJECT))).isZero();
        }
    }

    @Test
    void withSecurityAClientIsNotifiedOfItsStudiesOnlyAndNeedsTheSubscriptionScope() throws Exception {
        Path data = TestData.newDataDir("subs-sec");
        SmartClients.Client ehr = SmartClients.Client.rsa("ehr-aml");       // Subscriptions, the AML study only
        SmartClients.Client reader = SmartClients.Client.rsa("reader");     // reads Procedures, no Subscription scope
        SmartClients.Client otherEhr = SmartClients.Client.rsa("ehr-other"); // Subscriptions, all studies
        List<String> args = h2Args(data);
        args.addAll(List.of("--celltrial.security.enabled=true",
                "--celltrial.security.token-signing-jwk=" + new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("s").generate().toJSONString()));
        SmartClients.settings(
                new SmartClients.Registration(ehr, "system/Subscription.cruds,system/Procedure.rs", "NKAML-P1"),
                new SmartClients.Registration(reader, "system/Procedure.rs", "*"),
                new SmartClients.Registration(otherEhr, "system/Subscription.cruds", "*"))
                .forEach((key, value) -> args.add("--" + key + "=" + value));
        try (RestHookReceiver receiver = new RestHookReceiver(); App app = new App(args).start()) {
            AdapterHarness harness = new AdapterHarness(data, 0);
            harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
            assertThat(harness.awaitOutcome("aml", Duration.ofMinutes(3)).area()).isEqualTo("done");
            harness.dropFolder(AdapterHarness.DEMO.resolve("nk-nb-auto"), "nb");
            assertThat(harness.awaitOutcome("nb", Duration.ofMinutes(3)).area()).isEqualTo("done");
            String tokens = app.fhir().replace("/fhir", "/oauth2/token");
            String ehrToken = SmartClients.accessToken(tokens, ehr, "system/Subscription.cruds system/Procedure.rs");
            String readerToken = SmartClients.accessToken(tokens, reader, "system/Procedure.rs");
            String otherToken = SmartClients.accessToken(tokens, otherEhr, "system/Subscription.cruds");

            // without the Subscription scope: no Subscription written or read
            assertThat(send("POST", app.fhir() + "/Subscription", readerToken, subscription(CRITERIA, receiver.endpoint()))
                    .statusCode()).isEqualTo(403);
            String own = register(app.fhir(), ehrToken, CRITERIA, receiver.endpoint());
            String nbPatient = "NKNB-P12-01-001";
            String foreign = register(app.fhir(), ehrToken, "Procedure?patient.identifier=" + USUBJID_SYSTEM + "|" + nbPatient,
                    receiver.endpoint());
            assertThat(send("GET", app.fhir() + "/Subscription/" + own, readerToken, null).statusCode()).isEqualTo(403);
            // another client's Subscription is not there for it: not read, not listed, not deleted
            assertThat(send("GET", app.fhir() + "/Subscription/" + own, otherToken, null).statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(send("GET", app.fhir() + "/Subscription", otherToken, null).body()).get("total").asInt()).isZero();
            assertThat(send("DELETE", app.fhir() + "/Subscription/" + own, otherToken, null).statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(send("GET", app.fhir() + "/Subscription", ehrToken, null).body()).get("total").asInt()).isEqualTo(2);
            assertThat(read(app.fhir(), ehrToken, "Subscription/" + own).at("/meta/tag").toString()).contains("ehr-aml");

            deliverStudyProcedures(harness, data, "nk-nb-auto", "NKNB-P12", "nb-new", "9", nbPatient);
            deliverProcedures(harness, data, "pr-new", "3", SUBJECT);
            receiver.await(r -> isProcedure(r, procedureId(SUBJECT, "3")), WITHIN_SECONDS);
            Thread.sleep(3000);
            // its Subscription on the other study's patient matched, but the client is not granted that study
            assertThat(receiver.count(r -> r.path().contains("NKNB"))).isZero();
            assertThat(app.outboxRows()).isZero();
            assertThat(send("DELETE", app.fhir() + "/Subscription/" + foreign, ehrToken, null).statusCode()).isIn(200, 204);
        }
    }
}
