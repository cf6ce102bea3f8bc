package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.it.SmartClients.Client;
import static org.celltrial.adapter.it.SmartClients.HTTP;
import static org.celltrial.adapter.it.SmartClients.JSON;
import static org.celltrial.adapter.it.SmartClients.accessToken;
import static org.celltrial.adapter.it.SmartClients.get;
import static org.celltrial.adapter.it.SmartClients.json;

/**
 * Bulk Data {@code $export} as a registry uses it, over real HTTP with security on: both demo studies delivered through
 * the inbox, then system, Patient and Group exports kicked off, polled to completion, every NDJSON file downloaded and
 * each line parsed, counted against the same client's searches; {@code _type}, {@code _since}, {@code _typeFilter};
 * DELETE; per-study grants and scopes applied to what is exported; the study Groups following a re-delivery. Run on H2
 * ({@link BulkExportIT}) and PostgreSQL ({@link BulkExportPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BulkExportScenarios {

    static final Client REGISTRY = Client.rsa("bulk-registry"); // system/*.rs, every study
    static final Client AML = Client.rsa("bulk-aml");           // system/*.rs, the AML study only
    static final Client EHR = Client.ec("bulk-ehr");            // system/Patient.rs, the AML study only
    static final Client ADMIN = Client.rsa("bulk-admin");       // the admin scope only
    static final Client AUDITOR = Client.rsa("bulk-auditor");   // system/AuditEvent.rs
    static final String AML_STUDY = "NKAML-P1";
    static final String NB_STUDY = "NKNB-P12";
    static final String WITHDRAWN = "NKAML-P1-01-005";
    static final RSAKey SERVER_KEY = serverKey();
    static final FhirContext CTX = FhirContext.forR4Cached();

    private static RSAKey serverKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("server").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Security on, the five clients above; demo studies are delivered by the test, through the inbox. */
    static void securityProperties(DynamicPropertyRegistry r, Path data) {
        TestData.h2Properties(r, data);
        r.add("celltrial.security.enabled", () -> "true");
        r.add("celltrial.security.token-signing-jwk", SERVER_KEY::toJSONString);
        r.add("celltrial.bulk.retry-after", () -> "1");
        SmartClients.settings(
                new SmartClients.Registration(REGISTRY, "system/*.rs", "*"),
                new SmartClients.Registration(AML, "system/*.rs", AML_STUDY),
                new SmartClients.Registration(EHR, "system/Patient.rs", AML_STUDY),
                new SmartClients.Registration(ADMIN, "system/celltrial-admin", ""),
                new SmartClients.Registration(AUDITOR, "system/AuditEvent.rs", "*"))
                .forEach((key, value) -> r.add(key, () -> value));
    }

    abstract Path dataDir();

    @Value("${local.server.port}")
    int port;

    AdapterHarness harness;
    /** A moment after both studies landed: nothing exported changes after it (until the re-delivery, last). */
    String afterDelivery;

    String fhir() {
        return "http://localhost:" + port + "/fhir";
    }

    String token(Client client, String scope) throws Exception {
        return accessToken("http://localhost:" + port + "/oauth2/token", client, scope);
    }

    @BeforeAll
    void deliverBothStudies() throws Exception {
        harness = new AdapterHarness(dataDir(), port);
        for (String[] study : List.of(new String[]{"nk-aml-haplo", "aml-1"}, new String[]{"nk-nb-auto", "nb-1"})) {
            harness.dropFolder(AdapterHarness.DEMO.resolve(study[0]), study[1]);
            AdapterHarness.Outcome outcome = harness.awaitOutcome(study[1], Duration.ofSeconds(240));
            assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        }
        Thread.sleep(1100);
        afterDelivery = Instant.now().toString();
        Thread.sleep(1100);
    }

    // ---- the registry's view of the Bulk Data API ------------------------------------------------------------

    /** Kicks off an export (GET); returns the response (202 with Content-Location when accepted). */
    HttpResponse<String> kickOff(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fhir() + path))
                .header("Accept", "application/fhir+json").header("Prefer", "respond-async").GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String statusUrl(HttpResponse<String> kickOff) {
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        return kickOff.headers().firstValue("Content-Location").orElseThrow();
    }

    HttpResponse<String> send(String method, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the status URL until the export is done; returns the manifest. */
    JsonNode poll(String statusUrl, String token) throws Exception {
        long until = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < until) {
            HttpResponse<String> r = send("GET", statusUrl, token);
            if (r.statusCode() == 200) {
                return json(r);
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(r.headers().firstValue("X-Progress")).isPresent();
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            Thread.sleep(500);
        }
        throw new AssertionError("the export did not finish in 3 minutes: " + statusUrl);
    }

    /** Downloads every file of a manifest; resources by type, each NDJSON line parsed by HAPI's parser. */
    Map<String, List<Resource>> download(JsonNode manifest, String token) throws Exception {
        IParser parser = CTX.newJsonParser();
        Map<String, List<Resource>> byType = new HashMap<>();
        for (JsonNode output : manifest.get("output")) {
            HttpResponse<String> file = fileRequest(output.get("url").asText(), token);
            assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+ndjson");
            for (String line : file.body().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                Resource r = (Resource) parser.parseResource(line);
                assertThat(r.fhirType()).isEqualTo(output.get("type").asText());
                byType.computeIfAbsent(r.fhirType(), k -> new ArrayList<>()).add(r);
            }
        }
        return byType;
    }

    HttpResponse<String> fileRequest(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+ndjson").GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    Map<String, List<Resource>> export(String path, String token) throws Exception {
        JsonNode manifest = poll(statusUrl(kickOff(path, token)), token);
        assertManifest(manifest, path);
        return download(manifest, token);
    }

    void assertManifest(JsonNode manifest, String path) {
        assertThat(Instant.parse(manifest.get("transactionTime").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(manifest.get("request").asText()).contains("$export");
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.get("output").isArray()).isTrue();
        assertThat(manifest.get("error").isArray()).isTrue();
        for (JsonNode o : manifest.get("output")) {
            assertThat(o.get("url").asText()).startsWith(fhir() + "/Binary/");
            assertThat(o.get("type").asText()).isNotBlank();
        }
    }

    /** The total of a search by the client. */
    int total(String query, String token) throws Exception {
        HttpResponse<String> r = get(fhir() + "/" + query + (query.contains("?") ? "&" : "?") + "_summary=count", token);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return json(r).get("total").asInt();
    }

    /** The ids a client's search of a type finds, all pages. */
    Set<String> searchIds(String type, String token) throws Exception {
        Set<String> ids = new TreeSet<>();
        String url = fhir() + "/" + type + (type.contains("?") ? "&" : "?") + "_count=100&_elements=id";
        while (url != null) {
            HttpResponse<String> r = get(url, token);
            assertThat(r.statusCode()).as(type + ": " + r.body()).isEqualTo(200);
            Bundle b = CTX.newJsonParser().parseResource(Bundle.class, r.body());
            b.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
            url = b.getLink("next") == null ? null : b.getLink("next").getUrl();
        }
        return ids;
    }

    static Set<String> ids(List<Resource> resources) {
        return resources == null ? Set.of() : resources.stream().map(r -> r.getIdElement().getIdPart()).collect(Collectors.toCollection(TreeSet::new));
    }

    static int count(Map<String, List<Resource>> byType) {
        return byType.values().stream().mapToInt(List::size).sum();
    }

    /** Patients of the study by its ResearchSubjects, as the client searches them. */
    Set<String> subjectsOf(String study, String token) throws Exception {
        HttpResponse<String> r = get(fhir() + "/ResearchSubject?study=ResearchStudy/" + study + "&_count=500", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Bundle b = CTX.newJsonParser().parseResource(Bundle.class, r.body());
        return b.getEntry().stream().map(e -> ((ResearchSubject) e.getResource()).getIndividual().getReferenceElement().getIdPart())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    Group group(String study, String token) throws Exception {
        HttpResponse<String> r = get(fhir() + "/Group/study-" + study, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return CTX.newJsonParser().parseResource(Group.class, r.body());
    }

    static Set<String> members(Group g) {
        return g.getMember().stream().map(m -> m.getEntity().getReferenceElement().getIdPart())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ---- the scenarios -------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void eachStudyHasAGroupOfItsSubjects() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        for (String study : List.of(AML_STUDY, NB_STUDY)) {
            Group g = group(study, token);
            assertThat(members(g)).isNotEmpty().isEqualTo(subjectsOf(study, token));
            assertThat(g.getType()).isEqualTo(Group.GroupType.PERSON);
            assertThat(g.getActual()).isTrue();
            assertThat(g.getQuantity()).isEqualTo(g.getMember().size());
            assertThat(StudyTag.of(g)).isEqualTo(study);
            assertThat(g.getCharacteristicFirstRep().getValueReference().getReference()).isEqualTo("ResearchStudy/" + study);
            assertThat(g.getMeta().getVersionId()).as("written once, by the study's delivery").isEqualTo("1");
        }
    }

    @Test
    @Order(2)
    void aSystemExportHoldsEveryResourceTheClientMaySearchOnce() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        Map<String, List<Resource>> exported = export("/$export", token);
        assertThat(exported.keySet()).contains("Patient", "ResearchStudy", "ResearchSubject", "Group", "Procedure",
                "AdverseEvent", "MedicationAdministration", "Provenance");
        // the audit trail needs its own scope, and the export files are not exported
        assertThat(exported.keySet()).doesNotContain("AuditEvent", "Binary");
        for (Map.Entry<String, List<Resource>> e : exported.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).hasSize(total(e.getKey(), token));
            assertThat(ids(e.getValue())).as(e.getKey() + ": each once").hasSize(e.getValue().size());
        }
        for (String type : List.of("Patient", "Procedure", "Observation", "Condition", "ResearchSubject")) {
            assertThat(exported.getOrDefault(type, List.of())).as(type).hasSize(total(type, token));
        }
    }

    @Test
    @Order(3)
    void typeSinceAndTypeFilterAreHonoured() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        Map<String, List<Resource>> two = export("/$export?_type=Patient,Procedure&_outputFormat="
                + URLEncoder.encode("application/fhir+ndjson", StandardCharsets.UTF_8), token);
        assertThat(two.keySet()).containsExactlyInAnyOrder("Patient", "Procedure");
        assertThat(two.get("Patient")).hasSize(total("Patient", token));
        assertThat(two.get("Procedure")).hasSize(total("Procedure", token));

        Map<String, List<Resource>> females = export("/$export?_type=Patient&_outputFormat=ndjson&_typeFilter="
                + URLEncoder.encode("Patient?gender=female", StandardCharsets.UTF_8), token);
        assertThat(females.get("Patient")).isNotEmpty().hasSize(total("Patient?gender=female", token))
                .allMatch(p -> ((Patient) p).getGender() == org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        assertThat(total("Patient?gender=female", token)).isLessThan(total("Patient", token));

        Map<String, List<Resource>> since = export("/$export?_type=Patient,Procedure,Group&_since="
                + URLEncoder.encode(afterDelivery, StandardCharsets.UTF_8), token);
        assertThat(count(since)).as("nothing changed since").isZero();

        // kick-off by POST with a Parameters body
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"_type\",\"valueString\":\"ResearchStudy\"}]}";
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(fhir() + "/$export"))
                .header("Authorization", "Bearer " + token).header("Prefer", "respond-async")
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(parameters)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, List<Resource>> studies = download(poll(statusUrl(post), token), token);
        assertThat(ids(studies.get("ResearchStudy"))).containsExactlyInAnyOrder(AML_STUDY, NB_STUDY);

        // the IG's rules: Prefer: respond-async is required; an output format we do not write is refused
        HttpResponse<String> noPrefer = HTTP.send(HttpRequest.newBuilder(URI.create(fhir() + "/$export"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noPrefer.statusCode()).isEqualTo(400);
        assertThat(kickOff("/$export?_outputFormat=text/csv", token).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void aPatientExportHoldsThePatientCompartments() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        Map<String, List<Resource>> exported = export("/Patient/$export?_type=Patient,Procedure,AdverseEvent,ResearchSubject", token);
        assertThat(exported.keySet()).containsExactlyInAnyOrder("Patient", "Procedure", "AdverseEvent", "ResearchSubject");
        for (Map.Entry<String, List<Resource>> e : exported.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).hasSize(total(e.getKey(), token));
        }
    }

    @Test
    @Order(5)
    void aGroupExportHoldsItsStudysPatientsAndTheirData() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        Map<String, List<Resource>> exported = export("/Group/study-" + AML_STUDY + "/$export", token);
        assertThat(ids(exported.get("Patient"))).isEqualTo(members(group(AML_STUDY, token)));
        assertThat(exported.keySet()).contains("Patient", "Procedure", "AdverseEvent", "ResearchSubject");
        for (Map.Entry<String, List<Resource>> e : exported.entrySet()) {
            assertThat(e.getValue()).as(e.getKey() + " of the AML study only").allMatch(r -> AML_STUDY.equals(StudyTag.of(r)));
        }
        assertThat(exported.get("Procedure")).hasSize(total("Procedure?_tag="
                + URLEncoder.encode(StudyTag.SYSTEM + "|" + AML_STUDY, StandardCharsets.UTF_8), token));
    }

    @Test
    @Order(6)
    void aClientGrantedOneStudyExportsThatStudyOnly() throws Exception {
        String token = token(AML, "system/*.rs");
        Map<String, List<Resource>> system = export("/$export", token);
        assertThat(system.keySet()).contains("Patient", "Procedure", "ResearchStudy", "Group");
        for (Map.Entry<String, List<Resource>> e : system.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).allMatch(r -> AML_STUDY.equals(StudyTag.of(r)));
            // its searches are narrowed the same way (StudyAccess)
            assertThat(ids(e.getValue())).as(e.getKey()).isEqualTo(searchIds(e.getKey(), token));
        }
        assertThat(ids(system.get("Group"))).containsExactly("study-" + AML_STUDY);
        assertThat(ids(system.get("Patient"))).isEqualTo(searchIds("Patient", token));

        // a filter of its own is narrowed too (HAPI ORs the filters of a type: the study clause is added to each)
        Map<String, List<Resource>> females = export("/$export?_type=Patient&_typeFilter="
                + URLEncoder.encode("Patient?gender=female", StandardCharsets.UTF_8), token);
        // (ids by search, not _summary=count: a count is not narrowed to the client's studies, see the report)
        assertThat(ids(females.get("Patient"))).isNotEmpty().isEqualTo(searchIds("Patient?gender=female", token));
        assertThat(females.get("Patient")).allMatch(r -> AML_STUDY.equals(StudyTag.of(r)));

        Map<String, List<Resource>> patients = export("/Patient/$export?_type=Patient,Procedure", token);
        assertThat(patients.values().stream().flatMap(List::stream)).isNotEmpty().allMatch(r -> AML_STUDY.equals(StudyTag.of(r)));

        assertThat(export("/Group/study-" + AML_STUDY + "/$export?_type=Patient", token).get("Patient"))
                .hasSize(members(group(AML_STUDY, token(REGISTRY, "system/*.rs"))).size());
        // the other study's Group: as if it did not exist
        assertThat(kickOff("/Group/study-" + NB_STUDY + "/$export", token).statusCode()).isEqualTo(404);
        assertThat(kickOff("/Group/no-such-group/$export", token).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void anExportIsItsClientsOwn() throws Exception {
        String registry = token(REGISTRY, "system/*.rs");
        String statusUrl = statusUrl(kickOff("/$export?_type=Patient", registry));
        JsonNode manifest = poll(statusUrl, registry);
        String file = manifest.get("output").get(0).get("url").asText();
        assertThat(fileRequest(file, registry).statusCode()).isEqualTo(200);

        String aml = token(AML, "system/*.rs");
        assertThat(send("GET", statusUrl, aml).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", statusUrl, aml).statusCode()).isEqualTo(404);
        assertThat(fileRequest(file, aml).statusCode()).isEqualTo(404);
        // a search shows a client its own files only
        HttpResponse<String> binaries = get(fhir() + "/Binary?_count=500", aml);
        assertThat(binaries.statusCode()).as(binaries.body()).isEqualTo(200);
        String fileId = file.substring(file.lastIndexOf('/') + 1);
        for (JsonNode entry : json(binaries).path("entry")) {
            assertThat(entry.at("/resource/id").asText()).isNotEqualTo(fileId);
            assertThat(entry.at("/resource/securityContext/identifier/value").asText()).isEqualTo(AML.id());
        }
        // no token: refused before anything else
        assertThat(send("GET", statusUrl, null).statusCode()).isEqualTo(401);
        assertThat(fileRequest(file, null).statusCode()).isEqualTo(401);
        assertThat(kickOff("/$export", null).statusCode()).isEqualTo(401);
        // still there for its client
        assertThat(send("GET", statusUrl, registry).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void theTokensScopesLimitWhatIsExported() throws Exception {
        String ehr = token(EHR, "system/Patient.rs");
        assertThat(kickOff("/$export?_type=Observation", ehr).statusCode()).isEqualTo(403);
        assertThat(kickOff("/Patient/$export?_type=Patient,Procedure", ehr).statusCode()).isEqualTo(403);
        Map<String, List<Resource>> patients = export("/Patient/$export", ehr);
        assertThat(patients.keySet()).containsExactly("Patient");
        assertThat(ids(patients.get("Patient"))).isEqualTo(searchIds("Patient", ehr));
        assertThat(patients.get("Patient")).allMatch(r -> AML_STUDY.equals(StudyTag.of(r)));

        String admin = token(ADMIN, "system/celltrial-admin");
        assertThat(kickOff("/$export", admin).statusCode()).isEqualTo(403);
        assertThat(kickOff("/Group/study-" + AML_STUDY + "/$export", admin).statusCode()).isIn(403, 404);
    }

    @Test
    @Order(9)
    void deleteCancelsAnExportOrDeletesItsFiles() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        // done, then deleted: its files go, its status URL answers 404
        String done = statusUrl(kickOff("/$export?_type=Patient", token));
        String file = poll(done, token).get("output").get(0).get("url").asText();
        assertThat(send("DELETE", done, token).statusCode()).isEqualTo(202);
        assertThat(send("GET", done, token).statusCode()).isEqualTo(404);
        assertThat(fileRequest(file, token).statusCode()).isIn(404, 410);
        assertThat(send("DELETE", done, token).statusCode()).isEqualTo(404);

        // deleted at once, probably while running
        String running = statusUrl(kickOff("/$export", token));
        assertThat(send("DELETE", running, token).statusCode()).isEqualTo(202);
        long until = System.currentTimeMillis() + 60_000;
        int status = 0;
        while (System.currentTimeMillis() < until && (status = send("GET", running, token).statusCode()) != 404) {
            Thread.sleep(500);
        }
        assertThat(status).isEqualTo(404);

        assertThat(send("GET", fhir() + "/$export-poll-status?_jobId=no-such-job", token).statusCode()).isEqualTo(404);
    }

    /** HAPI's batch2 export had jobs stuck in FINALIZE when several ran at once (hapi-fhir#4511): all must finish. */
    @Test
    @Order(10)
    void severalExportsAtOnceAllFinish() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<String, List<Resource>>>> runs = new ArrayList<>();
            for (String path : List.of("/$export?_type=Patient,Procedure", "/Patient/$export?_type=Patient,Procedure",
                    "/Group/study-" + NB_STUDY + "/$export?_type=Patient,Procedure", "/$export?_type=Patient,Procedure")) {
                runs.add(pool.submit((Callable<Map<String, List<Resource>>>) () -> export(path, token)));
            }
            int patients = total("Patient", token);
            for (int i = 0; i < runs.size(); i++) {
                Map<String, List<Resource>> exported = runs.get(i).get();
                if (i != 2) {
                    assertThat(exported.get("Patient")).hasSize(patients);
                } else {
                    assertThat(ids(exported.get("Patient"))).isEqualTo(members(group(NB_STUDY, token)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(11)
    void exportsAreInTheAuditTrail() throws Exception {
        String token = token(AUDITOR, "system/AuditEvent.rs");
        Set<String> interactions = new HashSet<>();
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            HttpResponse<String> r = get(fhir() + "/AuditEvent?_count=500&_sort=-_lastUpdated", token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Bundle b = CTX.newJsonParser().parseResource(Bundle.class, r.body());
            interactions.clear();
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                var event = (org.hl7.fhir.r4.model.AuditEvent) e.getResource();
                if (!event.getEntityFirstRep().hasQuery()) {
                    continue; // an ingest run (DICOM Import), not an access
                }
                String query = new String(event.getEntityFirstRep().getQuery(), StandardCharsets.UTF_8);
                String subtype = event.getSubtypeFirstRep().getCode();
                interactions.add(subtype + (query.contains("/Binary/") ? " Binary" : ""));
            }
            if (interactions.containsAll(List.of("$export", "$export-poll-status", "read Binary"))) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no audit events of kick-off, status and download: " + interactions);
    }

    @Test
    @Order(12)
    void theStudyGroupFollowsARedeliveryThatWithdrawsASubject() throws Exception {
        String token = token(REGISTRY, "system/*.rs");
        Group before = group(AML_STUDY, token);
        String patient = AML_STUDY + "-" + WITHDRAWN;
        assertThat(members(before)).contains(patient);

        Path without = dataDir().resolve("src-aml-without-005");
        Files.createDirectories(without);
        try (var files = Files.list(AdapterHarness.DEMO.resolve("nk-aml-haplo"))) {
            for (Path f : files.toList()) {
                List<String> kept = Files.readAllLines(f).stream().filter(l -> !l.contains(WITHDRAWN)).toList();
                Files.write(without.resolve(f.getFileName()), kept);
            }
        }
        harness.dropFolder(without, "aml-without-005");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("aml-without-005", Duration.ofSeconds(240));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");

        Group after = group(AML_STUDY, token);
        assertThat(members(after)).doesNotContain(patient).isEqualTo(subjectsOf(AML_STUDY, token));
        assertThat(members(after)).hasSize(members(before).size() - 1);
        assertThat(after.getMeta().getVersionId()).isEqualTo("2");
        assertThat(group(NB_STUDY, token).getMeta().getVersionId()).as("the other study's Group untouched").isEqualTo("1");
        assertThat(ids(export("/Group/study-" + AML_STUDY + "/$export?_type=Patient", token).get("Patient")))
                .isEqualTo(members(after));

        // the same data again: the Group is not written again
        harness.dropFolder(without, "aml-without-005-again");
        outcome = harness.awaitOutcome("aml-without-005-again", Duration.ofSeconds(240));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        assertThat(group(AML_STUDY, token).getMeta().getVersionId()).isEqualTo("2");

        // the subject comes back: so does the member
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml-2");
        outcome = harness.awaitOutcome("aml-2", Duration.ofSeconds(240));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        assertThat(members(group(AML_STUDY, token))).isEqualTo(members(before));
    }
}
