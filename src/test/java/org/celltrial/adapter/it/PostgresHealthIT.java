package org.celltrial.adapter.it;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows PostgreSQL: the test makes the application's database refuse connections (ALLOW_CONNECTIONS
 * false, its sessions terminated) as an outage or a revoked grant would; readiness goes DOWN within seconds while
 * liveness stays UP (a restart would not bring the database back), and readiness is UP again once the database
 * takes connections. The rest of the cluster is not touched.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class PostgresHealthIT {

    static final String DB = "celltrial_it_health";
    static final java.nio.file.Path DATA = TestData.newDataDir("pg-health");
    static String url;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        url = TestPostgres.freshDatabase(DB);
        TestData.h2Properties(r, DATA);
        TestPostgres.properties(r);
        r.add("spring.datasource.url", () -> url);
        r.add("management.endpoint.health.show-details", () -> "always");
    }

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void readinessIsDownWhileTheDatabaseRefusesConnectionsAndLivenessStaysUp() throws Exception {
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);
        try {
            try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + DB + " WITH ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DB + "'");
            }
            long t0 = System.nanoTime();
            assertThat(awaitStatus("/actuator/health/readiness", 503, Duration.ofSeconds(30))).isTrue();
            System.out.printf("[PostgresHealthIT] readiness DOWN %.1f s after the database stopped taking connections%n",
                    (System.nanoTime() - t0) / 1e9);
            HttpResponse<String> readiness = get("/actuator/health/readiness");
            assertThat(readiness.body()).contains("\"database\":{\"status\":\"DOWN\"");
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
            // FHIR requests get a 503 with Retry-After, not a 500
            HttpResponse<String> fhir = get("/fhir/Patient?_count=1");
            assertThat(fhir.statusCode()).isEqualTo(503);
            assertThat(fhir.headers().firstValue("Retry-After")).isPresent();
            assertThat(fhir.body()).contains("OperationOutcome");
        } finally {
            try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("ALTER DATABASE " + DB + " WITH ALLOW_CONNECTIONS true");
            }
        }
        assertThat(awaitStatus("/actuator/health/readiness", 200, Duration.ofSeconds(60))).isTrue();
        assertThat(status("/fhir/Patient?_count=1")).isEqualTo(200);
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
