package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away for ~30 s while a delivery is being ingested: the route retries with back-off, logs
 * it, and the delivery finishes complete once the database is back: nothing lost, nothing doubled.
 * Stops and starts the local cluster with pg_ctlcluster, as .ci/run started it (needs root, as CI has).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class DatabaseOutageIT {

    static final java.nio.file.Path DATA = TestData.newDataDir("outage");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        String url = TestPostgres.freshDatabase("celltrial_it_outage");
        TestData.h2Properties(r, DATA);
        TestPostgres.properties(r);
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.hikari.connection-timeout", () -> "3000");
        r.add("celltrial.ingest.store-retries", () -> "12");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void ingestSurvivesThirtySecondsWithoutTheDatabase() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        pgctl("stop");
        try {
            harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "during-outage");
            // the delivery is claimed and read, then its writes fail and are retried
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && !claimed()) {
                Thread.sleep(200);
            }
            assertThat(claimed()).as("the delivery was claimed while the database was down").isTrue();
            Thread.sleep(30_000 - 200);
        } finally {
            pgctl("start");
        }
        AdapterHarness.Outcome outcome = harness.awaitOutcome("during-outage", Duration.ofSeconds(240));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        assertThat(outcome.report()).contains("OK - all 61 records stored");
        IGenericClient fhir = harness.client();
        for (var e : java.util.Map.of("Patient", 5, "Procedure", 10, "AdverseEvent", 8, "ResearchStudy", 1).entrySet()) {
            assertThat(fhir.search().byUrl(e.getKey() + "?_summary=count").returnBundle(Bundle.class).execute().getTotal())
                    .as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private boolean claimed() throws IOException {
        java.nio.file.Path processing = DATA.resolve("inbox/.processing");
        if (!Files.isDirectory(processing)) {
            return false;
        }
        try (Stream<java.nio.file.Path> s = Files.list(processing)) {
            return s.findAny().isPresent();
        }
    }

    private static void pgctl(String action) throws Exception {
        String version = System.getenv().getOrDefault("CELLTRIAL_TEST_PG_VERSION", "15");
        Process p = new ProcessBuilder(List.of("pg_ctlcluster", version, "main", action)).inheritIO().start();
        assertThat(p.waitFor()).as("pg_ctlcluster " + version + " main " + action + " (needs root and a local cluster)").isZero();
    }
}
