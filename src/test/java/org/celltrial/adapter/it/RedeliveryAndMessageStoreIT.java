package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Procedure;
import org.celltrial.adapter.ingest.fhir.ProvenanceFactory;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a trial site relies on, on PostgreSQL: re-delivery changes nothing, a changed row changes exactly its
 * resources, a removed row is retired by the documented policy, every resource has its Provenance, and failed
 * records are listed with reasons and land after a mapping fix without re-delivering the file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedeliveryAndMessageStoreIT {

    static final Path DATA = TestData.newDataDir("store");
    static final Path MAPPINGS = DATA.resolve("mappings-copy");
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        String url = TestPostgres.freshDatabase("celltrial_it_store");
        FileSystemUtils.copyRecursively(Path.of("mappings"), MAPPINGS);
        TestData.h2Properties(r, DATA);
        TestPostgres.properties(r);
        r.add("spring.datasource.url", () -> url);
        r.add("celltrial.ingest.mappings", MAPPINGS::toString);
    }

    @Value("${local.server.port}")
    int port;

    static AdapterHarness harness;
    static IGenericClient fhir;

    private void setUp() {
        if (harness == null) {
            harness = new AdapterHarness(DATA, port);
            fhir = harness.client();
        }
    }

    /** A copy of the AML demo study, edited by {@code edits} (pairs: file, old text, new text). */
    private Path study(String name, String... edits) throws IOException {
        Path dir = DATA.resolve("src-" + name);
        FileSystemUtils.copyRecursively(AdapterHarness.DEMO.resolve("nk-aml-haplo"), dir);
        for (int i = 0; i < edits.length; i += 3) {
            Path f = dir.resolve(edits[i]);
            String text = Files.readString(f);
            assertThat(text).contains(edits[i + 1]);
            Files.writeString(f, text.replace(edits[i + 1], edits[i + 2]));
        }
        return dir;
    }

    private AdapterHarness.Outcome deliver(Path source, String name) throws Exception {
        harness.dropFolder(source, name);
        return harness.awaitOutcome(name, Duration.ofSeconds(120));
    }

    /** Versions written on the whole server since {@code since} (server-level _history, counted entry by entry). */
    private List<String> versionsSince(java.util.Date since) {
        List<String> versions = new java.util.ArrayList<>();
        Bundle page = fhir.history().onServer().returnBundle(Bundle.class).since(since).count(500).execute();
        while (true) {
            page.getEntry().forEach(e -> versions.add(e.getResource().getIdElement().toUnqualified().getValue()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return versions;
            }
            page = fhir.loadPage().next(page).execute();
        }
    }

    private static java.util.Date now() throws InterruptedException {
        Thread.sleep(50); // _since compares with lastUpdated at millisecond precision
        return new java.util.Date();
    }

    private JsonNode api(String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        b = method.equals("POST") ? b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()) : b.GET();
        HttpResponse<String> response = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode deliveryNamed(String name) throws Exception {
        for (JsonNode d : api("GET", "/api/deliveries")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no delivery " + name + " in the message store");
    }

    @Test
    @Order(1)
    void everyRecordIsAccountedForAndEveryResourceHasItsProvenance() throws Exception {
        setUp();
        assertThat(deliver(study("v1"), "v1").area()).isEqualTo("done");
        JsonNode counts = deliveryNamed("v1").get("counts");
        assertThat(counts.get("stored").asInt()).isEqualTo(61);
        assertThat(counts.get("failed").asInt()).isZero();
        assertThat(counts.get("received").asInt()).isZero();

        for (String ref : List.of("Patient/NKAML-P1-NKAML-P1-01-001", "ResearchSubject/NKAML-P1-NKAML-P1-01-001",
                "ResearchStudy/NKAML-P1", "Procedure/NKAML-P1-NKAML-P1-01-001-PR-1",
                "MedicationAdministration/NKAML-P1-NKAML-P1-01-001-EX-3", "AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-2",
                "Observation/NKAML-P1-NKAML-P1-01-001-CE-1")) {
            Bundle b = fhir.search().byUrl("Provenance?target=" + ref).returnBundle(Bundle.class).execute();
            assertThat(b.getEntry()).as(ref).hasSize(1);
            Provenance p = (Provenance) b.getEntryFirstRep().getResource();
            assertThat(((StringType) p.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/mapping-version")
                    .getValue()).getValue()).isNotBlank();
            // one Provenance per subject: the resource is one of its targets, with its own source records
            assertThat(p.getTarget()).extracting(Reference::getReference).contains(ref);
            assertThat(ProvenanceFactory.entitiesOf(p, ref)).as(ref).isNotEmpty();
            assertThat(p.getEntity()).allSatisfy(e -> {
                assertThat(e.getWhat().getIdentifier().getValue()).startsWith("NKAML-P1/").contains("/v1/").contains("#row=");
                assertThat(((StringType) e.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/source-content-hash")
                        .getValue()).getValue()).hasSize(64);
            });
        }
        Provenance ae = (Provenance) fhir.search().byUrl("Provenance?target=AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-2")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(ProvenanceFactory.entitiesOf(ae, "AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-2"))
                .extracting(e -> e.getWhat().getIdentifier().getValue()).containsExactly("NKAML-P1/AE/v1/ae.csv#row=2");
        // the subject's Provenance covers all its resources: Patient, ResearchSubject, procedures, ... in one
        assertThat(ae.getTarget()).extracting(Reference::getReference)
                .contains("Patient/NKAML-P1-NKAML-P1-01-001", "Procedure/NKAML-P1-NKAML-P1-01-001-PR-1");
        // the study is built from the TS rows and all DM rows
        Provenance study = (Provenance) fhir.search().byUrl("Provenance?target=ResearchStudy/NKAML-P1")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(study.getEntity()).hasSizeGreaterThan(5);
    }

    @Test
    @Order(2)
    void identicalRedeliveryCreatesNoNewVersions() throws Exception {
        setUp();
        java.util.Date before = now();
        AdapterHarness.Outcome again = deliver(study("v1-again"), "v1-again");
        assertThat(again.area()).isEqualTo("done");
        assertThat(again.report()).contains("FHIR resources written: 0");
        assertThat(versionsSince(before)).isEmpty();
    }

    @Test
    @Order(3)
    void aChangedRowMakesExactlyOneNewVersionOfItsResource() throws Exception {
        setUp();
        java.util.Date before = now();
        Path changed = study("v2", "ae.csv",
                "1,NKAML-P1,AE,NKAML-P1-01-001,1,Nausea,Nausea,Gastrointestinal disorders,MILD,",
                "1,NKAML-P1,AE,NKAML-P1-01-001,1,Nausea,Nausea,Gastrointestinal disorders,MODERATE,");
        assertThat(deliver(changed, "v2").area()).isEqualTo("done");
        AdverseEvent nausea = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-1").execute();
        assertThat(nausea.getMeta().getVersionId()).isEqualTo("2");
        assertThat(nausea.getSeverity().getCodingFirstRep().getCode()).isEqualTo("moderate");
        assertThat(fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-2").execute()
                .getMeta().getVersionId()).isEqualTo("1");
        // the AdverseEvent and its subject's Provenance, nothing else
        assertThat(versionsSince(before)).containsExactlyInAnyOrder(
                "AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-1/_history/2",
                "Provenance/" + ProvenanceFactory.idFor("NKAML-P1", "NKAML-P1-NKAML-P1-01-001") + "/_history/2");
        Provenance p = fhir.read().resource(Provenance.class).withId(ProvenanceFactory.idFor("NKAML-P1", "NKAML-P1-NKAML-P1-01-001")).execute();
        assertThat(ProvenanceFactory.entitiesOf(p, "AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-1"))
                .extracting(e -> e.getWhat().getIdentifier().getValue()).containsExactly("NKAML-P1/AE/v2/ae.csv#row=1");
        assertThat(ProvenanceFactory.entitiesOf(p, "AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-2"))
                .extracting(e -> e.getWhat().getIdentifier().getValue()).containsExactly("NKAML-P1/AE/v1/ae.csv#row=2");
    }

    @Test
    @Order(4)
    void aRemovedRowIsRetiredNotKeptAsCurrent() throws Exception {
        setUp();
        Path removed = study("v3",
                "ae.csv", "1,NKAML-P1,AE,NKAML-P1-01-001,1,Nausea,Nausea,Gastrointestinal disorders,MILD,", "",
                "pr.csv", "NKAML-P1,PR,NKAML-P1-01-005,2,NK CELL INFUSION,CELLULAR THERAPY,CELL THERAPY,Y,2022-08-30T10:00,2022-08-30T10:40,1,1\n", "");
        // the AE row removal above leaves the rest of its line; drop that line entirely instead
        Path ae = removed.resolve("ae.csv");
        Files.write(ae, Files.readAllLines(ae).stream().filter(l -> !l.startsWith("N,1,NOT RELATED")
                && !l.contains("NKAML-P1-01-001,1,Nausea")).toList());
        List<String> aeLines = Files.readAllLines(ae);
        assertThat(aeLines.stream().filter(l -> l.contains(",AE,NKAML-P1-01-001,1,"))).isEmpty();
        AdapterHarness.Outcome outcome = deliver(removed, "v3");
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        assertThat(outcome.report()).contains("no longer have a source row and were retired");

        Procedure nk = fhir.read().resource(Procedure.class).withId("NKAML-P1-NKAML-P1-01-005-PR-2").execute();
        assertThat(nk.getStatus()).isEqualTo(Procedure.ProcedureStatus.ENTEREDINERROR);
        assertThatThrownBy(() -> fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-1").execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThat(fhir.search().byUrl("Procedure?status=completed&patient=Patient/NKAML-P1-NKAML-P1-01-005")
                .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);
    }

    @Test
    @Order(5)
    void failedRecordsAreListedWithReasonsAndLandAfterAMappingFixWithoutRedelivery() throws Exception {
        setUp();
        // AE 1: a grade the CTCAE ConceptMap does not know (on-unmapped: reject) fails;
        // AE 2: a severity it does not know lands, flagged, and goes to the terminology worklist
        Path bad = study("bad-sev", "ae.csv",
                "Gastrointestinal disorders,MILD,N,1,NOT RELATED",
                "Gastrointestinal disorders,MILD,N,Grade 1 (mild),NOT RELATED",
                "ae.csv", "Blood and lymphatic system disorders,SEVERE,Y,3,",
                "Blood and lymphatic system disorders,LIFE THREATENING,Y,3,");
        assertThat(deliver(bad, "bad-sev").area()).isEqualTo("error");
        JsonNode delivery = deliveryNamed("bad-sev");
        assertThat(delivery.get("counts").get("failed").asInt()).isEqualTo(1);
        assertThat(delivery.get("counts").get("stored").asInt()).isEqualTo(60);
        String id = delivery.get("id").asText();
        JsonNode failed = api("GET", "/api/deliveries/" + id + "/records?status=failed");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("file").asText()).isEqualTo("ae.csv");
        assertThat(failed.get(0).get("row").asInt()).isEqualTo(1);
        assertThat(failed.get(0).get("reason").get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(failed.get(0).get("reason").get("issue").get(0).get("diagnostics").asText())
                .contains("AETOXGR").contains("Grade 1 (mild)");
        JsonNode warned = api("GET", "/api/deliveries/" + id + "/records?status=stored");
        // the edit hit every AE row of that shape (one per affected subject)
        List<JsonNode> withWarnings = java.util.stream.StreamSupport.stream(warned.spliterator(), false)
                .filter(r -> r.has("warnings") && r.get("warnings").toString().contains("AESEV")).toList();
        assertThat(withWarnings).isNotEmpty().allSatisfy(r -> assertThat(r.get("warnings").toString())
                .contains("AESEV").contains("LIFE THREATENING"));

        // the worklist lists the untranslated severity with its count, study and deliveries
        JsonNode worklist = api("GET", "/api/terminology/unmapped");
        JsonNode sev = java.util.stream.StreamSupport.stream(worklist.spliterator(), false)
                .filter(w -> w.get("variable").asText().equals("AESEV")).findFirst().orElseThrow();
        assertThat(sev.get("value").asText()).isEqualTo("LIFE THREATENING");
        assertThat(sev.get("resources").asInt()).isEqualTo(withWarnings.size());
        assertThat(sev.get("studies").toString()).contains("NKAML-P1");
        assertThat(sev.get("firstDelivery").get("name").asText()).isEqualTo("bad-sev");
        assertThat(sev.get("lastDelivery").get("name").asText()).isEqualTo("bad-sev");
        AdverseEvent flagged = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-2").execute();
        assertThat(flagged.hasSeverity()).isFalse();
        String versionBefore = flagged.getMeta().getVersionId();
        Provenance provenanceBefore = (Provenance) fhir.search().byUrl("Provenance?target=AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-2")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();

        // the mapping author adds the site's terms to the ConceptMaps and reloads the mappings
        Path cm = MAPPINGS.resolve("terminology/ConceptMap-sdtm-aesev.json");
        Files.writeString(cm, Files.readString(cm).replace("\"element\": [", "\"element\": [ {\"code\": \"LIFE THREATENING\", \"target\": ["
                + "{\"code\": \"severe\", \"display\": \"Severe\", \"equivalence\": \"wider\"}]},"));
        Path grades = MAPPINGS.resolve("terminology/ConceptMap-sdtm-aetoxgr.json");
        com.fasterxml.jackson.databind.node.ObjectNode map = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(grades.toFile());
        com.fasterxml.jackson.databind.node.ArrayNode elements = (com.fasterxml.jackson.databind.node.ArrayNode) map.get("group").get(0).get("element");
        com.fasterxml.jackson.databind.node.ObjectNode grade1 = elements.get(0).deepCopy();
        grade1.put("code", "Grade 1 (mild)");
        elements.add(grade1);
        JSON.writeValue(grades.toFile(), map);
        assertThat(api("POST", "/api/mappings/reload").get("domains").toString()).contains("AE");

        // one call re-codes the stored resource: a new version, coded, no flag; its Provenance has a new version
        JsonNode recoded = api("POST", "/api/terminology/recode?variable=AESEV&value=" + java.net.URLEncoder.encode(
                "LIFE THREATENING", java.nio.charset.StandardCharsets.UTF_8));
        assertThat(recoded.get("resourcesCarryingBefore").asInt()).isEqualTo(withWarnings.size());
        assertThat(recoded.get("resourcesCarryingAfter").asInt()).isZero();
        AdverseEvent fn = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-2").execute();
        assertThat(fn.getSeverity().getCodingFirstRep().getCode()).isEqualTo("severe");
        assertThat(fn.getMeta().getVersionId()).isNotEqualTo(versionBefore);
        assertThat(fn.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/data-quality-issue")).isNull();
        Provenance p = (Provenance) fhir.search().byUrl("Provenance?target=AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-2")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(p.getMeta().getVersionId()).isNotEqualTo(provenanceBefore.getMeta().getVersionId());
        assertThat(java.util.stream.StreamSupport.stream(api("GET", "/api/terminology/unmapped").spliterator(), false)
                .filter(w -> w.get("variable").asText().equals("AESEV"))).isEmpty();

        // the failed record lands by reprocessing, without re-delivery
        JsonNode before = api("GET", "/api/deliveries/" + id);
        JsonNode reportBefore = api("GET", "/api/deliveries/" + id + "/report");
        assertThat(before.get("outcome").asText()).isEqualTo("error");
        assertThat(before.get("reprocessedAt").isNull()).isTrue();
        assertThat(reportBefore.get("reprocessReport").isNull()).isTrue();
        JsonNode reprocessed = api("POST", "/api/deliveries/" + id + "/reprocess");
        assertThat(reprocessed.get("delivery").get("counts").get("failed").asInt()).isZero();
        assertThat(reprocessed.get("delivery").get("counts").get("stored").asInt()).isEqualTo(61);
        // the delivery's own end stays as it was (when, how, its report); the reprocess is recorded beside it
        JsonNode after = api("GET", "/api/deliveries/" + id);
        JsonNode reportAfter = api("GET", "/api/deliveries/" + id + "/report");
        assertThat(after.get("finishedAt")).isEqualTo(before.get("finishedAt"));
        assertThat(after.get("outcome").asText()).isEqualTo("error");
        assertThat(reportAfter.get("report")).isEqualTo(reportBefore.get("report"));
        assertThat(java.time.Instant.parse(after.get("reprocessedAt").asText()))
                .isAfter(java.time.Instant.parse(after.get("finishedAt").asText()));
        assertThat(after.get("reprocessOutcome").asText()).isEqualTo("done");
        assertThat(reportAfter.get("reprocessReport").asText()).contains("reprocessing failed records")
                .isEqualTo(reprocessed.get("report").asText());
        AdverseEvent nausea = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-1").execute();
        assertThat(nausea.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/ctcae-grade").getValue())
                .isInstanceOf(org.hl7.fhir.r4.model.CodeableConcept.class);
        Provenance p1 = (Provenance) fhir.search().byUrl("Provenance?target=AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-1")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(ProvenanceFactory.entitiesOf(p1, "AdverseEvent/NKAML-P1-NKAML-P1-01-001-AE-1"))
                .extracting(e -> e.getWhat().getIdentifier().getValue()).singleElement().asString().contains("/bad-sev/");
    }

    @Test
    @Order(6)
    void aBrokenMappingFileIsRefusedWithFileLineAndReasonAndTheRunningMappingsStay() throws Exception {
        setUp();
        Path broken = MAPPINGS.resolve("zz.yaml");
        Files.writeString(broken, "domain: ZZ\nresources:\n  - type: Patient\n    id: \"{STUDYID}\"\n    rules:\n"
                + "      - {path: favouriteColour, value: blue}\n");
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/mappings/reload"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("error").asText())
                    .startsWith("zz.yaml:6:").contains("favouriteColour");
        } finally {
            Files.delete(broken);
        }
        assertThat(deliver(study("after-broken"), "after-broken").area()).isEqualTo("done");
    }

    @Test
    @Order(7)
    void aSubjectWhoseRowsWereAllRemovedIsStoredAgainWhenTheyComeBack() throws Exception {
        setUp();
        String subject = "NKAML-P1-NKAML-P1-01-006";
        String provenanceId = ProvenanceFactory.idFor("NKAML-P1", subject);
        Path with = study("with-006");
        Files.writeString(with.resolve("dm.csv"), "NKAML-P1,DM,NKAML-P1-01-006,006,2021-05-18,2021-05-18,2021-04-18,01,"
                + "2011-08-14,9,YEARS,M,WHITE,NOT HISPANIC OR LATINO,NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,"
                + "NKHAPLO,Haploidentical HSCT plus donor NK cells on day +7,IRN,,\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(with.resolve("ae.csv"), "99,NKAML-P1,AE,NKAML-P1-01-006,1,Nausea,Nausea,Gastrointestinal disorders,"
                + "MILD,N,1,NOT RELATED,DOSE NOT CHANGED,RECOVERED/RESOLVED,2021-05-06,2021-05-08,-12,-10\n",
                java.nio.file.StandardOpenOption.APPEND);
        AdapterHarness.Outcome first = deliver(with, "with-006");
        assertThat(first.area()).as(first.report()).isEqualTo("done");
        assertThat(fhir.read().resource(Provenance.class).withId(provenanceId).execute().getTarget()).hasSize(3);

        // the subject's rows are gone from the next delivery: its AdverseEvent and ResearchSubject are deleted, and so
        // is its Provenance, which has no target left
        AdapterHarness.Outcome without = deliver(study("without-006"), "without-006");
        assertThat(without.area()).as(without.report()).isEqualTo("done");
        assertThatThrownBy(() -> fhir.read().resource(AdverseEvent.class).withId(subject + "-AE-1").execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> fhir.read().resource(Provenance.class).withId(provenanceId).execute())
                .isInstanceOf(ResourceGoneException.class);

        // they come back: stored again, with a Provenance again
        AdapterHarness.Outcome again = deliver(with, "with-006-again");
        assertThat(again.area()).as(again.report()).isEqualTo("done");
        assertThat(fhir.read().resource(AdverseEvent.class).withId(subject + "-AE-1").execute().getSubject().getReference())
                .isEqualTo("Patient/" + subject);
        Provenance back = fhir.read().resource(Provenance.class).withId(provenanceId).execute();
        assertThat(back.getTarget()).extracting(r -> r.getReference()).contains("AdverseEvent/" + subject + "-AE-1");
    }
    /**
     * A disposition delivered alone sets the status of the ResearchSubject that DM built, keeping everything DM gave it;
     * an identical re-delivery writes nothing; a DS re-delivery without the row retires the disposition's Observation
     * but never the ResearchSubject, which DM builds.
     */
    @Test
    @Order(8)
    void aDispositionDeliveredAloneSetsTheSubjectsStatusAndKeepsWhatDmGaveIt() throws Exception {
        setUp();
        String subject = "NKAML-P1-NKAML-P1-01-001";
        org.hl7.fhir.r4.model.ResearchSubject before = fhir.read().resource(org.hl7.fhir.r4.model.ResearchSubject.class)
                .withId(subject).execute();
        assertThat(before.getStatus()).isNotEqualTo(org.hl7.fhir.r4.model.ResearchSubject.ResearchSubjectStatus.WITHDRAWN);
        String header = "STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,DSSCAT,EPOCH,DSSTDTC\n";
        Path ds = DATA.resolve("src-ds-only");
        Files.createDirectories(ds);
        Files.writeString(ds.resolve("ds.csv"), header
                + "NKAML-P1,DS,NKAML-P1-01-001,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,SCREENING,2021-04-18\n"
                + "NKAML-P1,DS,NKAML-P1-01-001,2,Family moved abroad,WITHDRAWAL BY SUBJECT,DISPOSITION EVENT,STUDY PARTICIPATION,FOLLOW-UP,2021-09-01\n");
        AdapterHarness.Outcome outcome = deliver(ds, "ds-only");
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");

        org.hl7.fhir.r4.model.ResearchSubject after = fhir.read().resource(org.hl7.fhir.r4.model.ResearchSubject.class)
                .withId(subject).execute();
        assertThat(after.getStatus()).isEqualTo(org.hl7.fhir.r4.model.ResearchSubject.ResearchSubjectStatus.WITHDRAWN);
        assertThat(after.getIdentifier()).hasSameSizeAs(before.getIdentifier());
        assertThat(after.getIndividual().getReference()).isEqualTo("Patient/" + subject);
        assertThat(after.getStudy().getReference()).isEqualTo(before.getStudy().getReference());
        assertThat(after.getAssignedArm()).isEqualTo(before.getAssignedArm()).isNotBlank();
        assertThat(after.getPeriod().getStartElement().getValueAsString()).isEqualTo(before.getPeriod().getStartElement().getValueAsString());
        assertThat(after.getExtension()).hasSameSizeAs(before.getExtension());
        assertThat(fhir.read().resource(org.hl7.fhir.r4.model.Observation.class).withId(subject + "-DS-2").execute()
                .getValueStringType().getValue()).isEqualTo("Family moved abroad");

        java.util.Date since = now();
        AdapterHarness.Outcome again = deliver(ds, "ds-only-again");
        assertThat(again.area()).as(again.report()).isEqualTo("done");
        assertThat(versionsSince(since)).as("an identical re-delivery").isEmpty();

        Files.writeString(ds.resolve("ds.csv"), header
                + "NKAML-P1,DS,NKAML-P1-01-001,1,INFORMED CONSENT OBTAINED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,,SCREENING,2021-04-18\n");
        AdapterHarness.Outcome withoutRow = deliver(ds, "ds-without-row");
        assertThat(withoutRow.area()).as(withoutRow.report()).isEqualTo("done");
        assertThat(fhir.read().resource(org.hl7.fhir.r4.model.Observation.class).withId(subject + "-DS-2").execute().getStatus())
                .isEqualTo(org.hl7.fhir.r4.model.Observation.ObservationStatus.ENTEREDINERROR);
        assertThat(fhir.read().resource(org.hl7.fhir.r4.model.ResearchSubject.class).withId(subject).execute()
                .getIdentifier()).as("DM's ResearchSubject stays").hasSameSizeAs(before.getIdentifier());
    }
}
