package org.celltrial.adapter.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request limits over real HTTP, with small limits so each one is reached on purpose: body size (declared,
 * chunked, gzip), one client's rate and requests in progress, expensive requests of all clients, search rules, the
 * database pool's wait, bad /api parameters. Requests come from different loopback addresses (127.0.x.y), which the
 * server sees as different clients. Every refusal must be a clear answer and one log line without a stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestLimitsIT {

    static final Path DATA = TestData.newDataDir("limits");
    static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    static final String PATIENT = "{\"resourceType\":\"Patient\",\"gender\":\"female\",\"birthDate\":\"2010-01-01\"}";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.limits.max-request-body", () -> "1MB");
        r.add("celltrial.limits.client-max-concurrent", () -> "3");
        r.add("celltrial.limits.client-requests-per-second", () -> "2");
        r.add("celltrial.limits.client-burst", () -> "10");
        r.add("celltrial.limits.expensive-max-concurrent", () -> "2");
        r.add("spring.datasource.hikari.maximum-pool-size", () -> "6");
        r.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataSource dataSource;

    /** Attached once the application has configured logging (which replaces the appenders of the root logger). */
    @BeforeEach
    void captureLog() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!root.isAttached(LOG)) {
            LOG.start();
            root.addAppender(LOG);
        }
    }

    @AfterAll
    static void noStackTracesAndNoIdsInTheLog() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        List<ILoggingEvent> events = new ArrayList<>(LOG.list);
        assertThat(events).as("log events").isNotEmpty();
        assertThat(events).filteredOn(e -> e.getThrowableProxy() != null)
                .as("log events with a stack trace").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                .as("log lines").noneMatch(m -> m.contains("\n") || m.contains("NKAML-P1-NKAML-P1-01"));
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.contains("-> 413")).anyMatch(m -> m.contains("-> 429")).anyMatch(m -> m.contains("-> 503"));
    }

    private void demoLoaded() throws Exception {
        synchronized (RequestLimitsIT.class) {
            AdapterHarness harness = new AdapterHarness(DATA, port);
            if (!java.nio.file.Files.exists(DATA.resolve("done")) || !java.nio.file.Files.list(DATA.resolve("done"))
                    .anyMatch(p -> p.getFileName().toString().endsWith("-aml.report.txt"))) {
                harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
                assertThat(harness.awaitOutcome("aml", Duration.ofSeconds(180)).area()).isEqualTo("done");
            }
        }
    }

    @Test
    void aBodyOverTheLimitIs413WhetherDeclaredChunkedOrGzipped() throws Exception {
        String target = "/fhir/Patient/$validate";
        Map<String, String> json = Map.of("Content-Type", "application/fhir+json");

        // declared: answered from the headers, the body is not read
        try (RawHttp http = RawHttp.connect("127.0.1.1", port)) {
            http.head("POST", target, json, 5 * 1024 * 1024, false);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> quietly(() -> {
                byte[] mb = new byte[1024 * 1024];
                for (int i = 0; i < 5; i++) http.body().write(mb);
            }));
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("too-long")
                    .contains("larger than 1 MiB");
            sending.cancel(true);
        }
        // chunked: counted while it is read
        try (RawHttp http = RawHttp.connect("127.0.1.2", port)) {
            http.head("POST", target, json, -1, true);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> quietly(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                for (int i = 0; i < 48; i++) http.chunk(chunk);
                http.endChunks();
            }));
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.body()).contains("too-long").contains("larger than 1 MiB");
            sending.cancel(true);
        }
        // gzip: 3 MiB of spaces in a few KiB; the decoded bytes count
        byte[] bomb = gzip(" ".repeat(3 * 1024 * 1024) + PATIENT);
        assertThat(bomb.length).isLessThan(20_000);
        RawHttp.Response r = RawHttp.send("127.0.1.3", port, "POST", target,
                Map.of("Content-Type", "application/fhir+json", "Content-Encoding", "gzip"), bomb);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains("after gzip decoding");

        // under the limit, plain and gzipped, the request is served
        RawHttp.Response ok = RawHttp.send("127.0.1.4", port, "POST", target, json, PATIENT.getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        RawHttp.Response okGzip = RawHttp.send("127.0.1.4", port, "POST", target,
                Map.of("Content-Type", "application/fhir+json", "Content-Encoding", "gzip"), gzip(PATIENT));
        assertThat(okGzip.status()).as(okGzip.body()).isEqualTo(200);
        assertThat(okGzip.body()).contains("OperationOutcome");
        RawHttp.Response broken = RawHttp.send("127.0.1.4", port, "POST", target,
                Map.of("Content-Type", "application/fhir+json", "Content-Encoding", "gzip"), PATIENT.getBytes(StandardCharsets.UTF_8));
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body()).contains("not a gzip stream");
    }

    @Test
    void oneClientOverItsRateGets429WithRetryAfterAndOthersAreServed() throws Exception {
        // requests the server answers quickly (refused by the search rules: 400), so that 30 of them come faster than
        // the sustained 2 per second plus the burst of 10, even on a loaded machine
        List<RawHttp.Response> answers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            answers.add(RawHttp.get("127.0.2.1", port, "/fhir/Patient?_include=*"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(answers).extracting(RawHttp.Response::status).containsOnly(400, 429);
        long served = answers.stream().filter(a -> a.status() == 400).count();
        assertThat(served).as("served in %.1f s", seconds).isBetween(10L, 10L + Math.round(seconds * 2) + 1);
        RawHttp.Response refused = answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 5);
        assertThat(refused.body()).contains("throttled").contains("more than 2 requests per second");
        assertThat(RawHttp.get("127.0.2.2", port, "/fhir/metadata?_summary=true").status()).isEqualTo(200);
    }

    @Test
    void oneClientWithTooManyRequestsInProgressGets429() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                // a search by form POST whose body is not finished: the request is in progress until it is
                RawHttp http = RawHttp.connect("127.0.2.3", port);
                http.head("POST", "/fhir/Patient/_search", Map.of("Content-Type", "application/x-www-form-urlencoded"), -1, true);
                http.chunk("gender=".getBytes(StandardCharsets.UTF_8));
                held.add(http);
            }
            Thread.sleep(500);
            RawHttp.Response refused = RawHttp.get("127.0.2.3", port, "/fhir/Patient?_count=1");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).contains("more than 3 requests in progress at once");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            for (RawHttp http : held) {
                http.chunk("female".getBytes(StandardCharsets.UTF_8));
                http.endChunks();
                assertThat(http.read().status()).isEqualTo(200);
            }
            assertThat(RawHttp.get("127.0.2.3", port, "/fhir/Patient?_count=1").status()).isEqualTo(200);
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
    }

    @Test
    void expensiveRequestsBeyondTheLimitGet503AtOnceAndCheapOnesGoOn() throws Exception {
        demoLoaded();
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawHttp http = RawHttp.connect("127.0.3." + (i + 1), port);
                http.head("POST", "/fhir/Patient/$validate", Map.of("Content-Type", "application/fhir+json"), -1, true);
                http.chunk("{\"resourceType\":".getBytes(StandardCharsets.UTF_8));
                held.add(http);
            }
            Thread.sleep(500);
            long t0 = System.nanoTime();
            RawHttp.Response busy = RawHttp.get("127.0.3.3", port,
                    "/fhir/ResearchSubject?_include=ResearchSubject:individual&_total=accurate");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("answered at once, not queued").isLessThan(Duration.ofSeconds(3));
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isEqualTo("2");
            assertThat(busy.body()).contains("throttled").contains("busy with 2 expensive requests");
            assertThat(RawHttp.get("127.0.3.4", port, "/fhir/Patient?_count=1").status()).isEqualTo(200);
            for (RawHttp http : held) {
                http.chunk("\"Patient\"}".getBytes(StandardCharsets.UTF_8));
                http.endChunks();
                assertThat(http.read().status()).isEqualTo(200);
            }
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        RawHttp.Response after = RawHttp.get("127.0.3.3", port, "/fhir/ResearchSubject?_include=ResearchSubject:individual&_total=accurate");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body()).contains("\"total\":5").contains("\"resourceType\":\"Patient\"");
    }

    @Test
    void wildcardAndTooManyIncludesAre400() throws Exception {
        demoLoaded();
        RawHttp.Response wildcard = RawHttp.get("127.0.4.1", port, "/fhir/ResearchSubject?_include=*&_revinclude=*&_count=500&_total=accurate");
        assertThat(wildcard.status()).isEqualTo(400);
        assertThat(wildcard.body()).contains("OperationOutcome").contains("wildcard includes are not supported");
        assertThat(RawHttp.get("127.0.4.1", port, "/fhir/ResearchSubject?_include=ResearchSubject:*").status()).isEqualTo(400);
        StringBuilder many = new StringBuilder("/fhir/ResearchSubject?_count=1");
        for (int i = 0; i < 11; i++) {
            many.append("&_include=ResearchSubject:individual");
        }
        RawHttp.Response tooMany = RawHttp.get("127.0.4.2", port, many.toString());
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("at most 10");
    }

    @Test
    void noDatabaseConnectionWithinTheWaitIs503NotA500() throws Exception {
        demoLoaded();
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> taken = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (taken.size() < pool.getMaximumPoolSize() && System.nanoTime() < deadline) {
                try {
                    taken.add(pool.getConnection());
                } catch (java.sql.SQLException busy) {
                    // a background job holds one for a moment
                }
            }
            assertThat(taken).hasSize(pool.getMaximumPoolSize());
            RawHttp.Response r = RawHttp.get("127.0.5.1", port, "/fhir/Patient/NKAML-P1-NKAML-P1-01-001");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("2");
            assertThat(r.body()).contains("OperationOutcome").contains("The database is busy");
        } finally {
            for (Connection c : taken) {
                c.close();
            }
        }
        assertThat(RawHttp.get("127.0.5.1", port, "/fhir/Patient/NKAML-P1-NKAML-P1-01-001").status()).isEqualTo(200);
    }

    @Test
    void refusedWritesAndUnknownIdsAreOneLineEach() throws Exception {
        demoLoaded();
        Map<String, String> json = Map.of("Content-Type", "application/fhir+json");
        RawHttp.Response put = RawHttp.send("127.0.7.1", port, "PUT", "/fhir/Patient/NKAML-P1-NKAML-P1-01-001", json,
                "{\"resourceType\":\"Patient\",\"id\":\"NKAML-P1-NKAML-P1-01-001\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(put.status()).isEqualTo(403);
        RawHttp.Response metaAdd = RawHttp.send("127.0.7.2", port, "POST", "/fhir/Patient/NKAML-P1-NKAML-P1-01-001/$meta-add", json,
                "{\"resourceType\":\"Parameters\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(metaAdd.status()).isEqualTo(403);
        assertThat(RawHttp.get("127.0.7.3", port, "/fhir/Patient/NKAML-P1-NKAML-P1-01-999").status()).isEqualTo(404);
        assertThat(RawHttp.get("127.0.7.3", port, "/fhir/Patient?birthdate=NKAML-P1-01-001").status()).isEqualTo(400);
        // what the log got: checked for all tests at the end (no stack trace, no id); here that these were logged
        assertThat(LOG.list).extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.equals("FHIR PUT Patient update -> 403 HAPI-0333 ForbiddenOperationException"))
                .anyMatch(m -> m.startsWith("FHIR GET Patient read -> 404 HAPI-2001"));
    }

    @Test
    void badApiParametersAre400WithAOneLineJsonError() throws Exception {
        demoLoaded();
        String deliveries = RawHttp.get("127.0.6.1", port, "/api/deliveries").body();
        String id = deliveries.replaceAll("(?s)^\\[\\{\"id\":\"([^\"]+)\".*", "$1");
        RawHttp.Response bogus = RawHttp.get("127.0.6.1", port, "/api/deliveries/" + id + "/records?status=bogus");
        assertThat(bogus.status()).isEqualTo(400);
        assertThat(bogus.body()).doesNotContain("\n").contains("\"status\":400").contains("unknown status 'bogus'")
                .contains("failed");
        RawHttp.Response unknown = RawHttp.get("127.0.6.1", port, "/api/deliveries/" + id + "/records?satus=failed");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown query parameter 'satus'; known: status");
        assertThat(RawHttp.get("127.0.6.2", port, "/api/deliveries?x=1").status()).isEqualTo(400);
        assertThat(RawHttp.send("127.0.6.2", port, "DELETE", "/api/deliveries", Map.of(), null).status()).isEqualTo(405);
        assertThat(RawHttp.get("127.0.6.2", port, "/api/deliveries/" + id + "/records?status=FAILED").status()).isEqualTo(200);
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void quietly(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            // the server closed the connection after its early answer
        }
    }
}
