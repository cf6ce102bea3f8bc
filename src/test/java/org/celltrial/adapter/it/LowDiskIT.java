package org.celltrial.adapter.it;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Less free disk space under the data folder than {@code celltrial.ingest.safety.min-free-disk} (here a threshold no
 * disk meets): readiness and health are DOWN and say why, and no delivery is claimed (it waits in the inbox, where a
 * full disk cannot hurt it or the database).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LowDiskIT {

    static final Path DATA = TestData.newDataDir("lowdisk");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.ingest.safety.min-free-disk", () -> "1000000TB");
        r.add("management.endpoint.health.group.readiness.show-details", () -> "always");
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void readinessIsDownAndNoDeliveryIsClaimedWhileDiskSpaceIsLow() throws Exception {
        HttpResponse<String> readiness = get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"status\":\"DOWN\"").contains("MiB free, needs")
                .contains("celltrial.ingest.safety.min-free-disk");
        assertThat(get("/actuator/health").statusCode()).isEqualTo(503);

        AdapterHarness h = new AdapterHarness(DATA, port);
        HostileInputs.folder(h.inbox(), "waiting", Map.of("dm.csv", HostileInputs.dm("DISK-1", 1)));
        Thread.sleep(4000); // quiet period 0.3 s, polls every 0.2 s
        assertThat(h.inbox().resolve("waiting")).as("the delivery still waits in the inbox").isDirectory();
        for (String area : new String[]{"inbox/.processing", "done", "error"}) {
            try (Stream<Path> s = Files.list(DATA.resolve(area))) {
                assertThat(s.toList()).as(area).isEmpty();
            }
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
