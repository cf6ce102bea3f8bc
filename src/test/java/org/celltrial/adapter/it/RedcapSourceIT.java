package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A REDCap project pulled through its API (an HTTP server in the test answering as REDCap does, from the real export)
 * into FHIR with the YAML-only mapping set mappings/redcap-gecco: first pull, a changed and a deleted record, an idle
 * project, retried 503/429, a refused token, and a pull cut off between mirror and inbox.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedcapSourceIT {

    static final Path DATA = TestData.newDataDir("redcap");
    static final ObjectMapper JSON = new ObjectMapper();
    static RedcapTestServer redcap;
    static final String STUDY = "Project.NUM";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        redcap = new RedcapTestServer();
        Path token = DATA.resolve("redcap.token");
        Files.writeString(token, RedcapTestServer.TOKEN + "\n");
        TestData.h2Properties(r, DATA);
        String s = "celltrial.sources[0].";
        r.add(s + "id", () -> "gecco");
        r.add(s + "type", () -> "redcap");
        r.add(s + "schedule", () -> "1h");
        r.add(s + "initial-delay", () -> "1h"); // the test pulls with POST /api/sources/gecco/run
        r.add(s + "mapping-set", () -> "redcap-gecco");
        r.add(s + "connection.url", redcap::url);
        r.add(s + "connection.allow-http", () -> "true");
        r.add(s + "connection.token-file", token::toString);
        r.add(s + "connection.server-timezone", () -> "Europe/Berlin");
        r.add(s + "connection.batch-size", () -> "3");
        r.add(s + "connection.overlap", () -> "1m");
        r.add(s + "connection.max-retries", () -> "3");
        r.add(s + "connection.retry-initial", () -> "100ms");
    }

    @AfterAll
    static void stop() {
        redcap.close();
    }

    @Value("${local.server.port}")
    int port;

    private AdapterHarness harness() {
        return new AdapterHarness(DATA, port);
    }

    private IGenericClient fhir() {
        return harness().client();
    }

    private JsonNode api(String method, String path) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
            b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).doesNotContain(RedcapTestServer.TOKEN);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode run() {
        return api("POST", "/api/sources/gecco/run");
    }

    private AdapterHarness.Outcome delivered(JsonNode state) throws Exception {
        assertThat(state.get("lastOutcome").asText()).as(state.toString()).isEqualTo("delivered");
        AdapterHarness.Outcome o = harness().awaitOutcome(state.get("lastDelivery").asText(), Duration.ofSeconds(90));
        assertThat(o.area()).as(o.report()).isEqualTo("done");
        return o;
    }

    private static String patientId(String record) {
        return org.celltrial.adapter.mapping.FhirIds.fromKey(STUDY + "-" + record);
    }

    private int count(String query) {
        Bundle b = fhir().search().byUrl(query + "&_summary=count").returnBundle(Bundle.class).execute();
        return b.getTotal();
    }

    @Test
    @Order(1)
    void firstPullDeliversTheWholeProjectMappedOnlyInYaml() throws Exception {
        JsonNode state = run();
        AdapterHarness.Outcome o = delivered(state);
        assertThat(o.report()).contains("FORM.DEMOGRAPHIE.csv (FORM.DEMOGRAPHIE): 16 rows")
                .contains("FORM.VITALPARAMETER.csv (FORM.VITALPARAMETER): 27 rows");
        assertThat(count("Patient?_id=" + patientId("patient_048316877"))).isEqualTo(1);
        Patient p = fhir().read().resource(Patient.class).withId(patientId("patient_048316877")).execute();
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1967-11-29");
        assertThat(count("Observation?code=http://loinc.org%7C8867-4")).isEqualTo(21);
        assertThat(state.get("counts").get("recordsFetched").asLong()).isEqualTo(10);
        assertThat(state.get("watermark").asText()).isEqualTo("2024-03-01T10:00:00Z"); // REDCap's clock, not ours
        // the requests, as REDCap documents them: metadata, the id listing, then the records in batches of 3
        List<Map<String, List<String>>> req = redcap.requests;
        assertThat(redcap.violations).isEmpty();
        assertThat(req.get(0)).containsEntry("content", List.of("metadata"));
        assertThat(req.get(1)).containsEntry("fields", List.of("record_id")).doesNotContainKey("dateRangeBegin");
        assertThat(req.subList(2, req.size())).hasSize(4).allSatisfy(r -> assertThat(r)
                .containsEntry("format", List.of("odm")).containsEntry("type", List.of("flat")));
        assertThat(req.get(2).get("records")).hasSize(3);
        // the delivery says where it came from, without the token
        Path done = Files.list(DATA.resolve("done")).filter(f -> f.getFileName().toString().endsWith(state.get("lastDelivery").asText()))
                .findFirst().orElseThrow();
        String sourceJson = Files.readString(done.resolve("source.json"));
        assertThat(sourceJson).contains("\"source\" : \"gecco\"").contains("redcap-gecco").doesNotContain(RedcapTestServer.TOKEN);
    }

    @Test
    @Order(2)
    void aChangedRecordIsUpdatedAndADeletedOneRetired() throws Exception {
        redcap.requests.clear();
        redcap.now = Instant.parse("2024-03-01T10:30:00Z");
        String record = "patient_048316877";
        Matcher hr = Pattern.compile("ItemOID=\"herzfrequenz\" Value=\"(\\d+)\"").matcher(redcap.subjects.get(record));
        assertThat(hr.find()).isTrue();
        redcap.update(record, redcap.subjects.get(record).replaceFirst(Pattern.quote(hr.group()),
                "ItemOID=\"herzfrequenz\" Value=\"99\""));
        String gone = redcap.subjects.keySet().stream().filter(k -> !k.equals(record)).reduce((a, b) -> b).orElseThrow();
        redcap.delete(gone);
        redcap.now = Instant.parse("2024-03-01T10:45:00Z");

        JsonNode state = run();
        delivered(state);
        assertThat(redcap.violations).isEmpty();
        // the watermark of the first pull (10:00Z) minus the 1 minute overlap, in the server's zone (CET = UTC+1)
        assertThat(redcap.requests.get(2)).containsEntry("dateRangeBegin", List.of("2024-03-01 10:59:00"));
        assertThat(state.get("counts").get("recordsFetched").asLong()).isEqualTo(11);
        assertThat(state.get("counts").get("recordsDeleted").asLong()).isEqualTo(1);
        Bundle changed = fhir().search().byUrl("Observation?code=http://loinc.org%7C8867-4&subject=Patient/"
                + patientId(record)).returnBundle(Bundle.class).execute();
        assertThat(changed.getEntry()).extracting(e -> ((Observation) e.getResource()).getValueQuantity().getValue().intValue())
                .contains(99);
        assertThatThrownBy(() -> fhir().read().resource(Patient.class).withId(patientId(gone)).execute())
                .isInstanceOf(ResourceGoneException.class);
    }

    @Test
    @Order(3)
    void anIdleProjectMakesNoDelivery() {
        redcap.now = Instant.parse("2024-03-01T10:50:00Z");
        JsonNode state = run();
        assertThat(state.get("lastOutcome").asText()).isEqualTo("unchanged");
        assertThat(state.get("counts").get("deliveries").asLong()).isEqualTo(2);
        assertThat(state.get("watermark").asText()).isEqualTo("2024-03-01T10:50:00Z");
    }

    @Test
    @Order(4)
    void passingErrorsAreRetriedAndARefusedTokenIsShown() {
        synchronized (redcap.faults) {
            redcap.faults.addAll(List.of(503, 429));
        }
        JsonNode state = run();
        assertThat(state.get("lastOutcome").asText()).isEqualTo("unchanged");
        assertThat(state.get("counts").get("retries").asLong()).isEqualTo(2);
        synchronized (redcap.faults) {
            redcap.faults.add(403);
        }
        state = run();
        assertThat(state.get("lastOutcome").asText()).isEqualTo("failed");
        assertThat(state.get("lastError").asText()).contains("HTTP 403").contains("not retried");
        JsonNode listed = api("GET", "/api/sources");
        assertThat(listed.get(0).get("id").asText()).isEqualTo("inbox");
        assertThat(listed.get(1).get("lastError").asText()).contains("HTTP 403");
        assertThat(listed.toString()).doesNotContain(RedcapTestServer.TOKEN);
    }

    @Test
    @Order(5)
    void aPullCutOffBeforeTheInboxIsDeliveredByTheNextOne() throws Exception {
        // the handover's work folder is blocked: the mirror changes, the delivery cannot be written
        Path tmp = DATA.resolve("inbox/.sources-tmp");
        for (Path p : Files.list(tmp).toList()) {
            Files.delete(p);
        }
        Files.delete(tmp);
        Files.writeString(tmp, "blocks the handover");
        String record = "patient_048316877";
        redcap.now = Instant.parse("2024-03-01T11:00:00Z");
        redcap.update(record, redcap.subjects.get(record).replace("Value=\"99\"", "Value=\"98\""));
        JsonNode failed = run();
        assertThat(failed.get("lastOutcome").asText()).isEqualTo("failed");
        assertThat(failed.get("deliveryPending").asBoolean()).isTrue();
        assertThat(failed.get("watermark").asText()).as("not advanced").isEqualTo("2024-03-01T10:50:00Z");
        Files.delete(tmp);
        redcap.now = Instant.parse("2024-03-01T11:05:00Z");
        JsonNode state = run(); // the mirror is already up to date: delivered because one is owed
        delivered(state);
        assertThat(state.get("deliveryPending").asBoolean()).isFalse();
        Bundle changed = fhir().search().byUrl("Observation?code=http://loinc.org%7C8867-4&subject=Patient/"
                + patientId(record)).returnBundle(Bundle.class).execute();
        assertThat(changed.getEntry()).extracting(e -> ((Observation) e.getResource()).getValueQuantity().getValue().intValue())
                .contains(98).doesNotContain(99);
    }
}
