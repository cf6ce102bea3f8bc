package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.it.SmartClients.HTTP;
import static org.celltrial.adapter.it.SmartClients.JSON;

/**
 * Bulk Data $export with security off (the default, read-only FHIR API on 127.0.0.1): an export is a read, so it is
 * allowed and listed in the CapabilityStatement at system, Patient and Group level; the manifest says that no token is
 * needed for the files.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkExportOpenIT {

    static final Path DATA = TestData.newDataDir("bulk-open");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.bulk.retry-after", () -> "1");
    }

    @Value("${local.server.port}")
    int port;

    String fhir() {
        return "http://localhost:" + port + "/fhir";
    }

    @BeforeAll
    void deliver() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("aml", Duration.ofSeconds(240));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
    }

    HttpResponse<String> send(String method, String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCapabilityStatementListsExportAtSystemPatientAndGroupLevel() throws Exception {
        CapabilityStatement cs = FhirContext.forR4Cached().newJsonParser().parseResource(CapabilityStatement.class,
                send("GET", fhir() + "/metadata", "Accept", "application/fhir+json").body());
        var rest = cs.getRestFirstRep();
        assertThat(rest.getOperation()).extracting(o -> o.getName()).contains("export");
        for (String type : new String[]{"Patient", "Group"}) {
            assertThat(rest.getResource().stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow().getOperation())
                    .extracting(o -> o.getName()).as(type).contains("export");
        }
    }

    @Test
    void anExportNeedsNoTokenAndItsFilesNeitherAndWritesStayRefused() throws Exception {
        HttpResponse<String> kickOff = send("GET", fhir() + "/Group/study-NKAML-P1/$export?_type=Patient",
                "Prefer", "respond-async", "Accept", "application/fhir+json");
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        JsonNode manifest = null;
        long until = System.currentTimeMillis() + 180_000;
        while (manifest == null && System.currentTimeMillis() < until) {
            HttpResponse<String> r = send("GET", status, "Accept", "application/json");
            if (r.statusCode() == 200) {
                manifest = JSON.readTree(r.body());
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                Thread.sleep(500);
            }
        }
        assertThat(manifest).as("the export finished").isNotNull();
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isFalse();
        int lines = 0;
        for (JsonNode o : manifest.get("output")) {
            HttpResponse<String> file = send("GET", o.get("url").asText(), "Accept", "application/fhir+ndjson");
            assertThat(file.statusCode()).isEqualTo(200);
            lines += (int) file.body().lines().filter(l -> !l.isBlank()).count();
        }
        HttpResponse<String> patients = send("GET", fhir() + "/Patient?_summary=count", "Accept", "application/fhir+json");
        assertThat(lines).isEqualTo(JSON.readTree(patients.body()).get("total").asInt()).isPositive();

        assertThat(send("DELETE", status).statusCode()).isEqualTo(202);
        assertThat(send("GET", status).statusCode()).isEqualTo(404);
        // the API stays read-only
        HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(URI.create(fhir() + "/Patient"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(403);
        HttpResponse<String> groupWrite = HTTP.send(HttpRequest.newBuilder(URI.create(fhir() + "/Group/study-NKAML-P1"))
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Group\",\"id\":\"study-NKAML-P1\",\"type\":\"person\",\"actual\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(groupWrite.statusCode()).isEqualTo(403);
    }
}
