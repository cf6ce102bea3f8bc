package org.celltrial.adapter.it;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health tells the truth about the embedded H2 database. H2 closes its database by itself after a fatal error: a
 * statement that meets an OutOfMemoryError, for one, makes it call {@code Database.shutdownImmediately()}, and the
 * application's connections are dead. The test closes the database the same way, with H2's {@code SHUTDOWN
 * IMMEDIATELY} on one of the application's own connections; liveness and readiness must then go DOWN (and stay
 * DOWN, although the pool would quietly open the database again), so the process gets restarted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthIT {

    static final Path DATA = TestData.newDataDir("health");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("management.endpoint.health.show-details", () -> "always");
        r.add("celltrial.health.database-check-interval", () -> "1s");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataSource dataSource;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theEmbeddedDatabaseClosedUnderTheApplicationBreaksLivenessAndReadiness() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/actuator/health/readiness");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"database\":{\"status\":\"UP\"");

        Connection c = dataSource.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("SHUTDOWN IMMEDIATELY");
        }
        try {
            c.close();
        } catch (java.sql.SQLException closedWithTheDatabase) {
            // the pool's close of a connection whose database is gone
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get("/actuator/health/liveness").statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(503);
        assertThat(liveness.body()).contains("\"status\":\"DOWN\"");
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("closed under the running application").contains("restart the process");
        // it stays down: the pool opens the database again, but the process must be restarted
        Thread.sleep(3000);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(503);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
