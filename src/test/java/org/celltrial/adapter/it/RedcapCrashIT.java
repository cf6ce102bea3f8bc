package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.bench.AdapterProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL in the middle of a REDCap pull: the packaged application pulls the real export from the REDCap API in the
 * test, slowly (each ODM batch answers after 2 s), and is killed after its second batch, when part of the mirror is
 * written and no delivery is made. Started again on the same data folder and H2 database, its next pull delivers the
 * whole project once: nothing lost (every mapped Patient and heart rate is there), nothing twice (exactly the
 * numbers of a clean run), no half delivery left behind.
 */
class RedcapCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void killedMidPullThenRestartedLosesAndDuplicatesNothing() throws Exception {
        Path data = TestData.newDataDir("redcap-crash");
        Path token = data.resolve("redcap.token");
        Files.writeString(token, RedcapTestServer.TOKEN);
        try (RedcapTestServer redcap = new RedcapTestServer()) {
            redcap.odmDelayMillis = 2_000;
            int port = AdapterProcess.freePort();
            List<String> args = new ArrayList<>(List.of("--celltrial.data-dir=" + data,
                    "--celltrial.ingest.seed-demo-studies=false", "--celltrial.ingest.poll-interval-ms=200",
                    "--celltrial.ingest.quiet-period-ms=300"));
            String s = "--celltrial.sources[0].";
            args.addAll(List.of(s + "id=gecco", s + "type=redcap", s + "schedule=1h", s + "initial-delay=1h",
                    s + "mapping-set=redcap-gecco", s + "connection.url=" + redcap.url(), s + "connection.allow-http=true",
                    s + "connection.token-file=" + token, s + "connection.server-timezone=Europe/Berlin",
                    s + "connection.batch-size=2"));
            AdapterProcess app = new AdapterProcess(AdapterProcess.jar(), port, List.of("-Xmx1g"), args,
                    data.resolve("adapter.log"));
            try {
                app.start().awaitReady(Duration.ofMinutes(6));
                CompletableFuture<HttpResponse<String>> pull = HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/sources/gecco/run"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (redcap.odmExports.get() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(redcap.odmExports.get()).as("the pull reached its third batch").isGreaterThanOrEqualTo(3);
                app.kill(); // during the third batch: two batches in the mirror, nothing delivered
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> pull.get(30, java.util.concurrent.TimeUnit.SECONDS))
                        .as("the pull's request died with the process").isInstanceOf(java.util.concurrent.ExecutionException.class);
                try (Stream<Path> inbox = Files.list(data.resolve("inbox"))) {
                    assertThat(inbox.filter(p -> p.getFileName().toString().startsWith("gecco-"))).isEmpty();
                }

                redcap.odmDelayMillis = 0;
                app.start().awaitReady(Duration.ofMinutes(6));
                JsonNode before = get(port, "/api/sources").get(1);
                assertThat(before.get("deliveryPending").asBoolean()).as("the killed pull owes a delivery").isTrue();
                assertThat(before.get("watermark").isNull()).isTrue();
                JsonNode state = JSON.readTree(HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/sources/gecco/run"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
                assertThat(state.get("lastOutcome").asText()).as(state.toString()).isEqualTo("delivered");
                AdapterHarness.Outcome o = new AdapterHarness(data, port).awaitOutcome(state.get("lastDelivery").asText(),
                        Duration.ofMinutes(3));
                // as a clean first pull (RedcapSourceIT): 2 records rejected for their unexplained sex codes
                assertThat(o.report()).contains("Outcome: PROBLEMS - 38 of 43 records stored, 5 rejected");
                assertThat(count(port, "Patient")).isEqualTo(8);
                assertThat(count(port, "Observation?code=http://loinc.org%7C8867-4")).isEqualTo(18);
                assertThat(state.get("counts").get("deliveries").asLong()).isEqualTo(1);
                assertThat(state.get("deliveryPending").asBoolean()).isFalse();
                try (Stream<Path> tmp = Files.list(data.resolve("inbox/.sources-tmp"))) {
                    assertThat(tmp).as("no half delivery left").isEmpty();
                }
            } finally {
                if (app.alive()) {
                    app.stop();
                }
            }
        }
    }

    private static JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static int count(int port, String query) throws Exception {
        String sep = query.contains("?") ? "&" : "?";
        return get(port, "/fhir/" + query + sep + "_summary=count").get("total").asInt();
    }
}
