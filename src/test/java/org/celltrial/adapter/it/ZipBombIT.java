package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.bench.AdapterProcess;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zip bomb of issue 14 against the packaged adapter in its own JVM with a heap of 512 MiB (it used to die with
 * an OutOfMemoryError in DeliveryReader.readZip before the 512 MiB limit fired, and its poller with it): a 1.1 MB zip
 * whose dm.csv expands to 1.1 GiB fails with the limit in its report, the process lives on (it would exit at once on
 * an OutOfMemoryError: -XX:+ExitOnOutOfMemoryError), and the good delivery dropped with it lands.
 */
class ZipBombIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aZipBombFailsAtTheLimitInA512MiBHeapAndTheDeliveryAfterItLands() throws Exception {
        Path work = TestData.newDataDir("zipbomb");
        Path data = work.resolve("data");
        Files.createDirectories(data.resolve("inbox"));
        int port = AdapterProcess.freePort();
        AdapterProcess app = new AdapterProcess(AdapterProcess.jar(), port, List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
                List.of("--celltrial.data-dir=" + data.toAbsolutePath(), "--celltrial.ingest.seed-demo-studies=false",
                        "--celltrial.ingest.poll-interval-ms=200", "--celltrial.ingest.quiet-period-ms=300",
                        "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath(),
                        "--management.endpoints.web.exposure.include=health,info,metrics"),
                work.resolve("adapter.log"));
        try {
            app.start();
            app.awaitReady(Duration.ofMinutes(6));
            AdapterHarness h = new AdapterHarness(data, port);
            Path bomb = HostileInputs.zipBomb(h.inbox().resolve("bomb.zip"), "dm.csv", HostileInputs.GIB + HostileInputs.GIB / 10);
            long compressed = Files.size(bomb);
            h.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "zz-good");

            AdapterHarness.Outcome outcome = h.awaitOutcome("bomb", Duration.ofMinutes(5));
            assertThat(app.alive()).as("adapter alive after the bomb (see %s)", app.log()).isTrue();
            assertThat(outcome.area()).isEqualTo("error");
            assertThat(outcome.report()).contains("Delivery: bomb.zip").contains("Outcome: FAILED")
                    .contains("the delivery holds more than the limit of 536870912 bytes, decompressed "
                            + "(celltrial.ingest.max-delivery-bytes)");
            AdapterHarness.Outcome good = h.awaitOutcome("zz-good", Duration.ofMinutes(5));
            assertThat(good.area()).as(good.report()).isEqualTo("done");
            assertThat(h.client().search().byUrl("Patient?_summary=count").returnBundle(Bundle.class).execute().getTotal())
                    .isEqualTo(TestData.rows("nk-aml-haplo/dm.csv"));
            try (Stream<Path> s = Files.list(data.resolve("tmp/spool"))) {
                assertThat(s.toList()).as("spooled entries left").isEmpty();
            }
            assertThat(app.alive()).isTrue();
            long heapUsed = metric(port, "jvm.memory.used");
            long heapMax = metric(port, "jvm.memory.max");
            System.out.printf("zip bomb: %,d bytes expanding to %,d; failed at the 512 MiB limit; heap used after %,d MiB"
                    + " of %,d MiB%n", compressed, HostileInputs.GIB + HostileInputs.GIB / 10, heapUsed >> 20, heapMax >> 20);
            assertThat(heapUsed).isLessThan(heapMax);
        } finally {
            app.stop();
        }
    }

    private static long metric(int port, String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/actuator/metrics/" + name + "?tag=area:heap")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode json = JSON.readTree(r.body());
        return json.get("measurements").get(0).get("value").asLong();
    }
}
