package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.bench.AdapterProcess;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged adapter as a registry client meets it: {@code /fhir/metadata} asked for as soon as the port is open
 * (before our IG is installed), then again once it is ready, on a fresh database and after a restart on the same one:
 * the ready statement lists our IG's profiles per resource type. The restart also turns CORS on for one origin.
 */
class CapabilityStatementIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final String ORIGIN = "https://registry.example";

    @TempDir
    Path work;

    @Test
    void theReadyStatementListsOurProfilesOnAFreshDatabaseAndAfterARestart() throws Exception {
        Map<String, TreeSet<String>> expected = profilesOfOurIg();
        assertThat(expected).containsKeys("Patient", "Procedure", "AdverseEvent", "Observation", "MedicationAdministration");
        Path data = work.resolve("data");
        try (AdapterProcess app = start(data, List.of(), "fresh")) {
            CapabilityStatement early = earliestStatement(app);
            app.awaitReady(Duration.ofMinutes(4));
            CapabilityStatement ready = statement(app);
            assertProfiles(ready, expected);
            // security off: the statement says there is none, and why that is safe; no SMART service advertised
            assertThat(ready.getRestFirstRep().getSecurity().getDescription()).contains("loopback").contains("read-only");
            assertThat(ready.getRestFirstRep().getSecurity().getService()).isEmpty();
            assertThat(ready.getRestFirstRep().getSecurity().getCors()).isFalse();
            // the early statement is what a client got before the IG was installed; the fix is that it did not stay
            System.out.printf("[CapabilityStatementIT] early statement listed %d profiles%n", profileCount(early));
        }
        try (AdapterProcess app = start(data, List.of("--celltrial.server.cors.allowed-origins=" + ORIGIN), "restart")) {
            earliestStatement(app);
            app.awaitReady(Duration.ofMinutes(4));
            CapabilityStatement withCors = statement(app);
            assertProfiles(withCors, expected);
            assertThat(withCors.getRestFirstRep().getSecurity().getCors()).isTrue();
            corsForTheConfiguredOriginOnly(app);
        }
    }

    private static void assertProfiles(CapabilityStatement cs, Map<String, TreeSet<String>> expected) {
        Map<String, TreeSet<String>> listed = new TreeMap<>();
        cs.getRestFirstRep().getResource().forEach(r -> r.getSupportedProfile().forEach(p ->
                listed.computeIfAbsent(r.getType(), k -> new TreeSet<>()).add(p.getValue())));
        assertThat(listed).isEqualTo(expected);
    }

    private static int profileCount(CapabilityStatement cs) {
        return cs.getRestFirstRep().getResource().stream().mapToInt(r -> r.getSupportedProfile().size()).sum();
    }

    private void corsForTheConfiguredOriginOnly(AdapterProcess app) throws Exception {
        HttpResponse<String> preflight = send(app, "OPTIONS", "/fhir/Patient", Map.of("Origin", ORIGIN,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("GET");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        HttpResponse<String> get = send(app, "GET", "/fhir/Patient?_count=1", Map.of("Origin", ORIGIN));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
        // another site: refused, no permission header
        HttpResponse<String> other = send(app, "OPTIONS", "/fhir/Patient", Map.of("Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "GET"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        // the admin API is not opened to browsers by it
        HttpResponse<String> api = send(app, "OPTIONS", "/api/mappings/reload", Map.of("Origin", ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
        assertThat(api.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    /** The first statement the server gives, asked for from the moment its port opens. */
    private static CapabilityStatement earliestStatement(AdapterProcess app) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = send(app, "GET", "/fhir/metadata", Map.of("Accept", "application/fhir+json"));
                if (r.statusCode() == 200) {
                    return CTX.newJsonParser().parseResource(CapabilityStatement.class, r.body());
                }
            } catch (java.io.IOException notYetListening) {
                // the port is not open yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no /fhir/metadata within 4 minutes; see " + app.log());
    }

    private static CapabilityStatement statement(AdapterProcess app) throws Exception {
        HttpResponse<String> r = send(app, "GET", "/fhir/metadata", Map.of("Accept", "application/fhir+json"));
        assertThat(r.statusCode()).isEqualTo(200);
        return CTX.newJsonParser().parseResource(CapabilityStatement.class, r.body());
    }

    /** Resource profiles of fhir-profiles/ (constraints on a resource, as HAPI lists them), per type. */
    private static Map<String, TreeSet<String>> profilesOfOurIg() throws Exception {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("fhir-profiles/fsh-generated/resources"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("StructureDefinition-")).toList()) {
                StructureDefinition sd = CTX.newJsonParser().parseResource(StructureDefinition.class, Files.readString(f));
                if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                        && sd.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT) {
                    out.computeIfAbsent(sd.getType(), k -> new TreeSet<>()).add(sd.getUrl());
                }
            }
        }
        return out;
    }

    private AdapterProcess start(Path data, List<String> extra, String name) throws Exception {
        List<String> args = new ArrayList<>(List.of("--celltrial.data-dir=" + data, "--spring.profiles.active=h2",
                "--celltrial.ingest.seed-demo-studies=false",
                "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath()));
        args.addAll(extra);
        return new AdapterProcess(AdapterProcess.jar(), AdapterProcess.freePort(), List.of("-Xmx1g"), args,
                work.resolve(name + ".log")).start();
    }

    private static HttpResponse<String> send(AdapterProcess app, String method, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
