package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a registry client found, over real HTTP on the demo studies (issue 17, item 7 and the error and header part of
 * item 6): every standard search parameter answered from rows we write works; the CapabilityStatement lists exactly
 * what a client may do; error answers leak nothing and every answer carries the security headers; the admin API takes
 * state-changing requests only as JSON.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryClientIT {

    static final Path DATA = TestData.newDataDir("registry");
    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The types the demo studies store. */
    private static final List<String> STORED = List.of("Patient", "ResearchStudy", "ResearchSubject", "Procedure",
            "MedicationAdministration", "AdverseEvent", "Observation", "Provenance");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        // the checks send a few hundred requests in a row from one address
        r.add("celltrial.limits.client-requests-per-second", () -> "2000");
        r.add("celltrial.limits.client-burst", () -> "4000");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    org.celltrial.adapter.server.FhirServerProperties fhirProps;

    private static boolean delivered;

    private void demoStudies() throws Exception {
        if (delivered) {
            return;
        }
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-nb-auto"), "nb");
        assertThat(harness.awaitOutcome("aml", Duration.ofSeconds(180)).area()).isEqualTo("done");
        assertThat(harness.awaitOutcome("nb", Duration.ofSeconds(180)).area()).isEqualTo("done");
        delivered = true;
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> fhirGet(String pathAndQuery) throws Exception {
        return send("GET", "/fhir/" + pathAndQuery, Map.of("Accept", "application/fhir+json"), null);
    }

    private Bundle search(String query) throws Exception {
        HttpResponse<String> r = fhirGet(query);
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return CTX.newJsonParser().parseResource(Bundle.class, r.body());
    }

    private static List<String> ids(Bundle b) {
        return b.getEntry().stream().map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).sorted().toList();
    }

    private CapabilityStatement statement() throws Exception {
        HttpResponse<String> r = fhirGet("metadata");
        assertThat(r.statusCode()).isEqualTo(200);
        return CTX.newJsonParser().parseResource(CapabilityStatement.class, r.body());
    }

    private static CapabilityStatementRestResourceComponent resource(CapabilityStatement cs, String type) {
        return cs.getRestFirstRep().getResource().stream().filter(r -> r.getType().equals(type)).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------------------------------------- 7(b)

    @Test
    @Order(1)
    void subjectAnswersAsPatientOnEveryTypeWhereBothReadTheSameReferenceRows() throws Exception {
        demoStudies();
        List<String> patients = ids(search("Patient?_count=50&_elements=id"));
        assertThat(patients).hasSize(10);
        // the types where FHIR has subject beside patient (SearchParameterSelectionTest lists them from the selection)
        for (String type : List.of("Procedure", "MedicationAdministration", "Observation")) {
            int found = 0;
            for (String patient : patients) {
                List<String> byPatient = ids(search(type + "?patient=" + patient + "&_count=200&_elements=id"));
                assertThat(ids(search(type + "?subject=" + patient + "&_count=200&_elements=id"))).as(type + " " + patient)
                        .isEqualTo(byPatient);
                // untyped id, chained search and the :Patient modifier, as clients write them
                String id = patient.substring("Patient/".length());
                assertThat(ids(search(type + "?subject:Patient=" + id + "&_count=200&_elements=id"))).isEqualTo(byPatient);
                found += byPatient.size();
            }
            assertThat(found).as(type).isEqualTo(search(type + "?_summary=count").getTotal()).isPositive();
            Bundle chained = search(type + "?subject.identifier=" + URLEncoder.encode(
                    "https://fhir.celltrial.org/sid/usubjid|NKAML-P1-01-001", StandardCharsets.UTF_8) + "&_count=200&_elements=id");
            assertThat(ids(chained)).isEqualTo(ids(search(type + "?patient=Patient/NKAML-P1-NKAML-P1-01-001&_count=200&_elements=id")));
            // and _include by subject brings the Patient
            Bundle included = search(type + "?subject=Patient/NKAML-P1-NKAML-P1-01-001&_include=" + type + ":subject");
            assertThat(included.getEntry()).anyMatch(e -> e.getResource().fhirType().equals("Patient"));
        }
    }

    @Test
    @Order(2)
    void servingSubjectWritesNoIndexRowMore() throws Exception {
        demoStudies();
        // one reference row per resource and element: the rows patient writes, none for subject besides
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            for (String type : List.of("Procedure", "MedicationAdministration", "Observation")) {
                int resources = search(type + "?_summary=count").getTotal();
                try (var rs = st.executeQuery("SELECT SRC_PATH, COUNT(*) FROM HFJ_RES_LINK WHERE SRC_PATH LIKE '" + type
                        + ".subject%' GROUP BY SRC_PATH")) {
                    Map<String, Integer> rows = new java.util.TreeMap<>();
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getInt(2));
                    }
                    assertThat(rows).as(type).containsExactly(Map.entry(type + ".subject.where(resolve() is Patient)", resources));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- 7(c)

    @Test
    @Order(3)
    void everyInteractionAndOperationListedIsServed() throws Exception {
        demoStudies();
        CapabilityStatement cs = statement();
        // the same interactions for every type: checking some checks all
        Set<String> shapes = new TreeSet<>();
        cs.getRestFirstRep().getResource().stream().filter(r -> !r.getType().equals("Subscription") && !r.getType().equals("OperationDefinition"))
                .forEach(r -> shapes.add(r.getInteraction().stream().map(i -> i.getCode().toCode()).sorted().toList()
                + " " + r.getOperation().stream().map(o -> o.getName()).filter(n -> !n.equals("everything") && !n.equals("export")).sorted().toList()));
        assertThat(shapes).containsExactly("[history-instance, history-type, read, search-type, vread] [validate]");
        // and an EHR writes its rest-hook Subscriptions (served: RestHookSubscriptionIT)
        assertThat(resource(cs, "Subscription").getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("create", "update", "delete", "read", "vread", "search-type", "history-instance", "history-type");

        // OperationDefinition is not stored: HAPI's server answers reads of the definitions of its operations, which
        // the CapabilityStatement names
        assertThat(resource(cs, "OperationDefinition").getInteraction()).extracting(i -> i.getCode().toCode()).containsExactly("read");
        Set<String> definitions = new TreeSet<>();
        cs.getRestFirstRep().getOperation().forEach(o -> definitions.add(o.getDefinition()));
        cs.getRestFirstRep().getResource().forEach(r -> r.getOperation().forEach(o -> definitions.add(o.getDefinition())));
        int local = 0;
        for (String definition : definitions) {
            int at = definition.indexOf("OperationDefinition/");
            if (at < 0 || (at > 0 && !definition.startsWith("http://localhost:" + port + "/fhir/"))) {
                continue; // a canonical of another publisher (FHIR's own), not served here
            }
            local++;
            HttpResponse<String> read = fhirGet(definition.substring(at));
            assertThat(read.statusCode()).as(definition + ": " + read.body()).isEqualTo(200);
            assertThat(CTX.newJsonParser().parseResource(read.body()).fhirType()).as(definition).isEqualTo("OperationDefinition");
        }
        assertThat(local).as("operation definitions served here, of " + definitions).isPositive();

        List<String> types = new ArrayList<>(STORED);
        types.addAll(List.of("Condition", "Encounter", "StructureDefinition", "SearchParameter", "Group"));
        for (String type : types) {
            CapabilityStatementRestResourceComponent r = resource(cs, type);
            Bundle some = search(type + "?_count=1");
            String id = some.getEntry().isEmpty() ? "not-there" : some.getEntryFirstRep().getResource().getIdElement().getIdPart();
            for (var interaction : r.getInteraction()) {
                String path = switch (interaction.getCode()) {
                    case READ -> type + "/" + id;
                    case VREAD -> type + "/" + id + "/_history/1";
                    case SEARCHTYPE -> type + "?_count=1";
                    case HISTORYINSTANCE -> type + "/" + id + "/_history";
                    case HISTORYTYPE -> type + "/_history?_count=1";
                    default -> throw new AssertionError("not checked: " + interaction.getCode());
                };
                assertServed(fhirGet(path), type + " " + interaction.getCode().toCode(), some.getEntry().isEmpty());
            }
            for (var op : r.getOperation()) {
                HttpResponse<String> response = switch (op.getName()) {
                    case "validate" -> send("POST", "/fhir/" + type + "/$validate", Map.of("Content-Type", "application/fhir+json",
                            "Accept", "application/fhir+json"), "{\"resourceType\":\"" + type + "\"}");
                    case "everything" -> fhirGet(type + "/" + id + "/$everything?_count=5");
                    // Bulk Data: Patient/$export, Group/[id]/$export (kick-off: 202)
                    case "export" -> send("GET", "/fhir/" + type + (type.equals("Group") ? "/" + id : "") + "/$export?_type=Patient",
                            Map.of("Prefer", "respond-async", "Accept", "application/fhir+json"), null);
                    default -> throw new AssertionError("not checked: " + op.getName());
                };
                assertServed(response, type + " $" + op.getName(), false);
            }
        }
        // system level: batches and transactions of reads, the whole history
        for (var interaction : cs.getRestFirstRep().getInteraction()) {
            HttpResponse<String> response = switch (interaction.getCode()) {
                case BATCH, TRANSACTION -> send("POST", "/fhir", Map.of("Content-Type", "application/fhir+json", "Accept",
                        "application/fhir+json"), "{\"resourceType\":\"Bundle\",\"type\":\"" + interaction.getCode().toCode()
                        + "\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_count=1\"}}]}");
                case HISTORYSYSTEM -> fhirGet("_history?_count=1");
                default -> throw new AssertionError("not checked: " + interaction.getCode());
            };
            assertServed(response, "system " + interaction.getCode().toCode(), false);
        }
        assertThat(cs.getRestFirstRep().getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("transaction", "batch", "history-system");
        for (var op : cs.getRestFirstRep().getOperation()) {
            assertServed(send("POST", "/fhir/$" + op.getName(), Map.of("Content-Type", "application/fhir+json"),
                    "{\"resourceType\":\"Parameters\"}"), "system $" + op.getName(), false);
        }
    }

    /** Not refused as forbidden or unsupported; a read of an id that is not there may answer 404. */
    private static void assertServed(HttpResponse<String> r, String what, boolean mayBeMissing) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isNotIn(401, 403, 405, 501);
        if (r.statusCode() == 404) {
            assertThat(mayBeMissing).as(what + " answered 404: " + r.body()).isTrue();
        }
        assertThat(r.body()).as(what).doesNotContain("not know how to handle").doesNotContain("read-only");
    }

    @Test
    @Order(4)
    void whatTheServerRefusesIsNotListed() throws Exception {
        demoStudies();
        CapabilityStatement cs = statement();
        CapabilityStatementRestResourceComponent patient = resource(cs, "Patient");
        assertThat(patient.getInteraction()).extracting(i -> i.getCode().toCode())
                .doesNotContain("create", "update", "patch", "delete");
        assertThat(patient.getOperation()).extracting(o -> o.getName())
                .containsExactlyInAnyOrder("validate", "everything", "export");
        assertThat(resource(cs, "Observation").getOperation()).extracting(o -> o.getName()).containsExactly("validate");
        assertThat(resource(cs, "Group").getOperation()).extracting(o -> o.getName()).containsExactlyInAnyOrder("validate", "export");
        // Bulk Data $export and its status URL
        assertThat(cs.getRestFirstRep().getOperation()).extracting(o -> o.getName())
                .containsExactlyInAnyOrder("export", "export-poll-status");
        assertThat(cs.getPatchFormat()).isEmpty();
        assertThat(patient.hasConditionalCreate() || patient.hasConditionalUpdate() || patient.hasConditionalDelete()).isFalse();
        // and they are refused indeed
        String body = "{\"resourceType\":\"Patient\",\"id\":\"NKAML-P1-NKAML-P1-01-001\"}";
        Map<String, String> fhirJson = Map.of("Content-Type", "application/fhir+json", "Accept", "application/fhir+json");
        assertThat(send("POST", "/fhir/Patient", fhirJson, body).statusCode()).isEqualTo(403);
        assertThat(send("PUT", "/fhir/Patient/NKAML-P1-NKAML-P1-01-001", fhirJson, body).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/fhir/Patient/NKAML-P1-NKAML-P1-01-001", fhirJson, null).statusCode()).isEqualTo(403);
        String meta = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{\"tag\":[{\"code\":\"x\"}]}}]}";
        assertThat(send("POST", "/fhir/Patient/NKAML-P1-NKAML-P1-01-001/$meta-add", fhirJson, meta).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/fhir/$expunge", fhirJson, "{\"resourceType\":\"Parameters\"}").statusCode()).isIn(403, 412);
        assertThat(fhirGet("Observation/$lastn?max=1").statusCode()).isEqualTo(403);
    }

    @Test
    @Order(5)
    void everySearchParameterListedForAStoredTypeAnswers() throws Exception {
        demoStudies();
        CapabilityStatement cs = statement();
        for (String type : STORED) {
            List<String> names = resource(cs, type).getSearchParam().stream()
                    .map(CapabilityStatementRestResourceSearchParamComponent::getName).toList();
            // the selection in application.yaml is listed, and subject where patient's rows serve it
            assertThat(names).as(type).containsAll(fhirProps.searchParameters().get(type));
            if (List.of("Procedure", "MedicationAdministration", "Observation").contains(type)) {
                assertThat(names).contains("subject");
            }
            for (CapabilityStatementRestResourceSearchParamComponent p : resource(cs, type).getSearchParam()) {
                String query = switch (p.getName()) {
                    case "_has" -> "_has:Provenance:target:_id=x";
                    case "_list" -> "_list=x";
                    case "_id" -> "_id=x";
                    default -> p.getName() + "=" + URLEncoder.encode(sampleValue(p), StandardCharsets.UTF_8);
                };
                HttpResponse<String> r = fhirGet(type + "?" + query + "&_count=1");
                assertThat(r.statusCode()).as(type + "?" + query + ": " + r.body()).isEqualTo(200);
            }
        }
    }

    private static String sampleValue(CapabilityStatementRestResourceSearchParamComponent p) {
        return switch (p.getType()) {
            case TOKEN -> "http://example.org|x";
            case REFERENCE -> "x";
            case DATE -> "ge2020-01-01";
            case STRING -> "x";
            case URI -> "http://example.org/x";
            case NUMBER -> "1";
            case QUANTITY -> "1";
            default -> throw new AssertionError("no sample value for " + p.getName() + " of type " + p.getType());
        };
    }

    // ---------------------------------------------------------------------------------------------- 6

    @Test
    @Order(6)
    void errorAnswersLeakNothingAndEveryAnswerCarriesTheSecurityHeaders() throws Exception {
        demoStudies();
        Map<String, String> fhirJson = Map.of("Content-Type", "application/fhir+json", "Accept", "application/fhir+json");
        Map<String, String> json = Map.of("Content-Type", "application/json");
        record Case(String what, String method, String path, Map<String, String> headers, String body, int status) {
        }
        List<Case> cases = List.of(
                new Case("unknown resource type", "GET", "/fhir/Spaceship/1", Map.of(), null, 404),
                new Case("unknown resource", "GET", "/fhir/Patient/no-such-patient", Map.of(), null, 404),
                new Case("bad search value", "GET", "/fhir/Procedure?date=not-a-date", Map.of(), null, 400),
                new Case("unknown search parameter", "GET", "/fhir/Procedure?colour=blue", Map.of(), null, 400),
                new Case("id too long", "GET", "/fhir/Patient/" + "x".repeat(300), Map.of(), null, 404),
                new Case("malformed FHIR body", "POST", "/fhir/Patient/$validate", fhirJson, "{\"resourceType\":\"Patient\",", 400),
                new Case("FHIR body of an unsupported type", "POST", "/fhir/Patient/$validate", Map.of("Content-Type", "text/plain"), "hello", 400),
                new Case("malformed body to /api", "POST", "/api/deliveries/no-such-delivery/reprocess", json, "{\"a\":", 404),
                new Case("unsupported media type to /api", "POST", "/api/mappings/reload", Map.of("Content-Type", "text/plain"), "x", 415),
                new Case("unknown /api path", "GET", "/api/nothing-here", Map.of(), null, 404),
                new Case("unknown path", "GET", "/nothing-here", Map.of("Accept", "application/json"), null, 404),
                new Case("method not allowed on /api", "DELETE", "/api/deliveries", json, null, 405),
                new Case("bad /api query value", "GET", "/api/deliveries/x/records?status=sideways", Map.of(), null, 400),
                new Case("method not allowed on FHIR", "PUT", "/fhir/metadata", fhirJson, "{}", 405));
        for (Case c : cases) {
            HttpResponse<String> r = send(c.method(), c.path(), c.headers(), c.body());
            assertThat(r.statusCode()).as(c.what() + ": " + r.body()).isEqualTo(c.status());
            assertNoLeak(c.what(), r.body());
            if (c.path().startsWith("/api")) {
                // readable: the one-line JSON of the admin API, also for a 404
                assertThat(JSON.readTree(r.body()).get("error").asText()).as(c.what()).isNotBlank();
            }
            assertSecurityHeaders(c.what(), r, !c.path().startsWith("/nothing"));
        }
        // and on answers that succeed
        assertSecurityHeaders("search", fhirGet("Patient?_count=1"), true);
        assertSecurityHeaders("api", send("GET", "/api/deliveries", Map.of(), null), true);
        assertSecurityHeaders("metadata", fhirGet("metadata"), true);
    }

    /** No stack trace, SQL, file path, class name or stored record value. */
    private static void assertNoLeak(String what, String body) {
        assertThat(body).as(what).doesNotContainIgnoringCase("exception").doesNotContain("\tat ").doesNotContain(".java:")
                .doesNotContain("org.celltrial").doesNotContain("ca.uhn.fhir.").doesNotContain("org.springframework")
                .doesNotContainIgnoringCase("select ").doesNotContain("HFJ_").doesNotContain("ct_delivery").doesNotContainIgnoringCase("jdbc")
                .doesNotContain(DATA.toString()).doesNotContain("/tmp/").doesNotContain("target/").doesNotContain("/home/")
                // stored values of the demo subjects: ids, birth dates, countries
                .doesNotContain("NKAML-P1-01-").doesNotContain("NKNB-P12-").doesNotContain("2011-08-14").doesNotContain("IRN");
    }

    private static void assertSecurityHeaders(String what, HttpResponse<String> r, boolean data) {
        var h = r.headers();
        assertThat(h.firstValue("X-Content-Type-Options")).as(what).hasValue("nosniff");
        assertThat(h.firstValue("X-Frame-Options")).as(what).hasValue("DENY");
        assertThat(h.firstValue("Content-Security-Policy")).as(what).hasValue("frame-ancestors 'none'");
        assertThat(h.firstValue("Referrer-Policy")).as(what).hasValue("no-referrer");
        if (data) {
            assertThat(h.allValues("Cache-Control")).as(what).containsExactly("no-store");
        }
        // CORS is off by default: no page of another site may read the answer
        assertThat(h.firstValue("Access-Control-Allow-Origin")).as(what).isEmpty();
    }

    @Test
    @Order(7)
    void corsIsOffByDefault() throws Exception {
        HttpResponse<String> preflight = send("OPTIONS", "/fhir/Patient", Map.of("Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "GET"), null);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> get = send("GET", "/fhir/Patient?_count=1", Map.of("Origin", "https://elsewhere.example"), null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------- 7(d)

    @Test
    @Order(8)
    void stateChangingAdminRequestsMustBeJson() throws Exception {
        for (Map<String, String> headers : List.of(Map.of("Content-Type", "text/plain"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"), Map.of("Content-Type", "multipart/form-data; boundary=x"),
                Map.of("Content-Type", "text/plain; charset=application/json"), // unparsable: still 415, not 500
                Map.<String, String>of())) {
            for (String path : List.of("/api/mappings/reload", "/api/deliveries/x/reprocess", "/api/admin/backup",
                    "/api/sources/inbox/run", "/api/terminology/recode?variable=AESEV&value=X")) {
                HttpResponse<String> r = send("POST", path, headers, headers.isEmpty() ? null : "a=b");
                assertThat(r.statusCode()).as(path + " " + headers).isEqualTo(415);
                JsonNode error = JSON.readTree(r.body());
                assertThat(error.get("status").asInt()).isEqualTo(415);
                assertThat(error.get("error").asText()).contains("Content-Type: application/json");
            }
        }
        HttpResponse<String> ok = send("POST", "/api/mappings/reload", Map.of("Content-Type", "application/json"), null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> okCharset = send("POST", "/api/mappings/reload", Map.of("Content-Type", "application/json; charset=utf-8"), "{}");
        assertThat(okCharset.statusCode()).as(okCharset.body()).isEqualTo(200);
        // reading stays as it was
        assertThat(send("GET", "/api/deliveries", Map.of(), null).statusCode()).isEqualTo(200);
    }
}
