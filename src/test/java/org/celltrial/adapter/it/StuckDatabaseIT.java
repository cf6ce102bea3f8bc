package org.celltrial.adapter.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries that would never end, on PostgreSQL, made real by the test holding an ACCESS EXCLUSIVE lock on a table (as a
 * VACUUM FULL, REINDEX or schema change does): every statement touching it waits for as long as the lock is held.
 * <ol>
 *   <li>A FHIR search and an /api call waiting on the lock are cancelled by the database after the request statement
 *       timeout (2 s here, {@code celltrial.limits.statement-timeout}) and answer 503 with a "timeout"
 *       OperationOutcome (or JSON) and Retry-After, with one log line naming neither ids nor values; a request that does
 *       not touch the table answers as usual.</li>
 *   <li>An ingest attempt waiting on the lock (the background timeout switched off here, so it truly cannot move) is
 *       abandoned at its time budget but cannot stop: liveness turns DOWN after
 *       {@code celltrial.health.ingest-restart-after}, and UP again once the lock is gone and the attempt has stopped;
 *       the delivery is quarantined in error/.</li>
 * </ol>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@ExtendWith(OutputCaptureExtension.class)
class StuckDatabaseIT {

    static final String DB = "celltrial_it_stuck";
    static final Path DATA = TestData.newDataDir("pg-stuck");
    static String url;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        url = TestPostgres.freshDatabase(DB);
        TestData.h2Properties(r, DATA);
        TestPostgres.properties(r);
        r.add("spring.datasource.url", () -> url);
        r.add("management.endpoint.health.show-details", () -> "always");
        r.add("celltrial.limits.statement-timeout", () -> "2s");
        r.add("celltrial.limits.background-statement-timeout", () -> "0");
        r.add("celltrial.ingest.safety.time-budget", () -> "15s");
        r.add("celltrial.ingest.safety.abandon-grace", () -> "3s");
        r.add("celltrial.health.ingest-restart-after", () -> "8s");
    }

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void requestsWaitingOnALockAreCancelledAndAStuckIngestMakesLivenessDown(CapturedOutput output) throws Exception {
        // no data needed: a search waits on the lock whatever the tables hold (and a delivery before this would have to
        // finish within the short time budget of this test, which a busy build machine does not promise)
        AdapterHarness harness = new AdapterHarness(DATA, port);
        String search = "/fhir/Observation?status=final&_count=5";
        assertThat(get(search).statusCode()).isEqualTo(200);

        // 1. requests waiting on a lock
        try (Connection locker = DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
             Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE hfj_spidx_token, ct_record IN ACCESS EXCLUSIVE MODE");
            int logFrom = output.getAll().length();

            long t0 = System.nanoTime();
            HttpResponse<String> fhir = get(search);
            double fhirSecs = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            HttpResponse<String> api = get("/api/deliveries");
            double apiSecs = (System.nanoTime() - t0) / 1e9;
            HttpResponse<String> metadata = get("/fhir/metadata");
            System.out.printf("[StuckDatabaseIT] search -> %d after %.1f s, /api/deliveries -> %d after %.1f s, metadata -> %d%n",
                    fhir.statusCode(), fhirSecs, api.statusCode(), apiSecs, metadata.statusCode());

            assertThat(fhir.statusCode()).isEqualTo(503);
            assertThat(fhir.headers().firstValue("Retry-After")).isPresent();
            assertThat(fhir.body()).contains("OperationOutcome").contains("\"code\":\"timeout\"")
                    .contains("celltrial.limits.statement-timeout").contains("2 s");
            assertThat(fhirSecs).isBetween(1.9, 20.0);
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(api.body()).contains("celltrial.limits.statement-timeout");
            assertThat(apiSecs).isBetween(1.9, 20.0);
            assertThat(metadata.statusCode()).isEqualTo(200);
            String log = output.getAll().substring(logFrom);
            assertThat(log).contains("FHIR GET Observation search-type -> 503: statement timeout (2 s")
                    .contains("API GET /api/deliveries -> 503: statement timeout (2 s")
                    .doesNotContain("NKAML-P1-01");
            assertThat(log.lines().filter(l -> l.startsWith("\tat ")).limit(3).toList()).as("stack trace lines").isEmpty();
            locker.rollback();
        }
        assertThat(get(search).statusCode()).isEqualTo(200);
        assertThat(status("/actuator/health/liveness")).isEqualTo(200);

        // 2. an ingest attempt that cannot move
        try (Connection locker = DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD);
             Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE ct_record IN ACCESS EXCLUSIVE MODE");
            long t0 = System.nanoTime();
            harness.dropFolder(AdapterHarness.DEMO.resolve("nk-nb-auto"), "stuck");
            assertThat(awaitStatus("/actuator/health/liveness", 503, Duration.ofMinutes(2))).as("liveness DOWN").isTrue();
            double downAfter = (System.nanoTime() - t0) / 1e9;
            HttpResponse<String> liveness = get("/actuator/health/liveness");
            System.out.printf("[StuckDatabaseIT] liveness DOWN %.1f s after the delivery was dropped: %s%n", downAfter, liveness.body());
            assertThat(liveness.body()).contains("\"ingestLiveness\":{\"status\":\"DOWN\"").contains("has not stopped");
            assertThat(downAfter).as("budget 15 s + restart-after 8 s").isGreaterThan(23);
            assertThat(status("/actuator/health/readiness")).isEqualTo(503);
            locker.rollback();
        }
        assertThat(awaitStatus("/actuator/health/liveness", 200, Duration.ofMinutes(1))).as("liveness UP again").isTrue();
        AdapterHarness.Outcome stuck = harness.awaitOutcome("stuck", Duration.ofMinutes(1));
        assertThat(stuck.area()).isEqualTo("error");
        assertThat(stuck.report()).contains("time budget");
        assertThat(awaitStatus("/actuator/health/readiness", 200, Duration.ofMinutes(1))).as("readiness UP again").isTrue();
    }

    private boolean awaitStatus(String path, int wanted, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status(path) == wanted) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private int status(String path) throws Exception {
        return get(path).statusCode();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
