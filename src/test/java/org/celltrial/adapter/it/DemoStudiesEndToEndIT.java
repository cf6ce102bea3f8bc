package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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

/**
 * The whole application on its embedded H2 database: both demo studies are dropped into the inbox (one as a
 * folder, one as a zip) and everything is checked over real HTTP, as an EHR or a registry would query it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoStudiesEndToEndIT {

    static final Path DATA = TestData.newDataDir("e2e");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        // every R4 type, as stock HAPI (the option application.yaml names; the other tests run with its list)
        r.add(org.celltrial.adapter.hapi.ServedResourceTypes.PROPERTY, () -> "all");
    }

    @Value("${local.server.port}")
    int port;

    static AdapterHarness harness;
    static IGenericClient fhir;

    @BeforeAll
    static void noop() {
    }

    private void dropDemoStudiesOnce() throws Exception {
        if (harness != null) {
            return;
        }
        harness = new AdapterHarness(DATA, port);
        fhir = harness.client();
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
        harness.dropZip(AdapterHarness.DEMO.resolve("nk-nb-auto"), "nb");
        AdapterHarness.Outcome aml = harness.awaitOutcome("aml", Duration.ofSeconds(120));
        AdapterHarness.Outcome nb = harness.awaitOutcome("nb", Duration.ofSeconds(120));
        assertThat(aml.area()).as(aml.report()).isEqualTo("done");
        assertThat(nb.area()).as(nb.report()).isEqualTo("done");
        assertThat(aml.report()).contains("OK - all 61 records stored");
        assertThat(nb.report()).contains("OK - all 77 records stored");
    }

    private int count(String type) {
        Bundle b = fhir.search().byUrl(type + "?_summary=count").returnBundle(Bundle.class).execute();
        return b.getTotal();
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.celltrial.adapter.ingest.fhir.SubjectWriter subjectWriter;

    @Test
    void onH2EachIdIsLookedUpAlone() {
        // H2 reads the whole resource table for HAPI's multi-id lookup (an OR of type-and-id terms)
        assertThat(subjectWriter.idsPerLookup()).isEqualTo(1);
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.celltrial.adapter.hapi.ResourceRowForeignKeys resourceRowForeignKeys;

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    @Test
    void onH2TheRowsWrittenWithAResourceHaveNoForeignKeyToItAndOldOnesAreDropped() throws Exception {
        assertThat(resourceRowForeignKeys.droppedAtStart()).isZero();
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            // an H2 database created by an earlier version still has them: the next start drops them
            st.execute("ALTER TABLE HFJ_SPIDX_TOKEN ADD CONSTRAINT FK_SP_TOKEN_RES FOREIGN KEY (RES_ID) REFERENCES HFJ_RESOURCE (RES_ID)");
        }
        assertThat(resourceRowForeignKeys.dropExisting(dataSource, null)).isEqualTo(1);
        try (var c = dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT tc.TABLE_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
                     + " JOIN INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc ON rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
                     + " JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS pk ON pk.CONSTRAINT_NAME = rc.UNIQUE_CONSTRAINT_NAME"
                     + " WHERE tc.CONSTRAINT_TYPE = 'FOREIGN KEY' AND pk.TABLE_NAME = 'HFJ_RESOURCE'")) {
            java.util.List<String> referencing = new java.util.ArrayList<>();
            while (rs.next()) {
                referencing.add(rs.getString(1));
            }
            assertThat(referencing).contains("TRM_CODESYSTEM")
                    .noneMatch(t -> t.startsWith("HFJ_SPIDX_") || t.startsWith("HFJ_RES_") || t.startsWith("HFJ_IDX_"));
        }
    }

    @Test
    @Order(1)
    void everyResourceTypeLandsWithTheExpectedCount() throws Exception {
        dropDemoStudiesOnce();
        assertThat(count("Patient")).isEqualTo(10);
        assertThat(count("ResearchStudy")).isEqualTo(2);
        assertThat(count("ResearchSubject")).isEqualTo(10);
        assertThat(count("Procedure")).isEqualTo(TestData.rows("nk-aml-haplo/pr.csv") + TestData.rows("nk-nb-auto/pr.csv"));
        assertThat(count("MedicationAdministration")).isEqualTo(TestData.rows("nk-aml-haplo/EX.csv") + TestData.rows("nk-nb-auto/ex.csv"));
        assertThat(count("AdverseEvent")).isEqualTo(TestData.rows("nk-aml-haplo/ae.csv") + TestData.rows("nk-nb-auto/ae.csv"));
        assertThat(count("Observation")).isEqualTo(TestData.rows("nk-aml-haplo/ce.csv") + TestData.rows("nk-nb-auto/ce.csv"));
    }

    @Test
    @Order(2)
    void nkCellAdministrationCarriesDosePerKgInUcum() throws Exception {
        dropDemoStudiesOnce();
        Bundle nk = fhir.search().forResource(MedicationAdministration.class)
                .where(new TokenClientParam("code").exactly()
                        .systemAndCode("https://fhir.celltrial.org/CodeSystem/celltrial-concepts", "nk-cells-il2-expanded-haplo"))
                .count(50).returnBundle(Bundle.class).execute();
        assertThat(nk.getEntry()).hasSize(10);
        for (Bundle.BundleEntryComponent e : nk.getEntry()) {
            MedicationAdministration ma = (MedicationAdministration) e.getResource();
            assertThat(ma.getDosage().getDose().getValue()).isEqualByComparingTo("1");
            assertThat(ma.getDosage().getDose().getSystem()).isEqualTo("http://unitsofmeasure.org");
            assertThat(ma.getDosage().getDose().getCode()).isEqualTo("10*6/kg");
            assertThat(studyDay(ma.getExtensionByUrl(TestData.STUDY_DAY))).isEqualTo(1);
            assertThat(ma.getSubject().getReference()).startsWith("Patient/");
        }
    }

    @Test
    @Order(3)
    void adverseEventHasGradeCausalitySeriousnessAndLinks() throws Exception {
        dropDemoStudiesOnce();
        AdverseEvent ae = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-2").execute();
        assertThat(ae.getEvent().getText()).isEqualTo("Febrile neutropenia");
        CodeableConcept grade = (CodeableConcept) ae.getExtensionByUrl(TestData.CTCAE_GRADE).getValue();
        assertThat(grade.getCodingFirstRep().getCode()).isEqualTo("C41340");
        assertThat(grade.getText()).isEqualTo("Grade 3");
        assertThat(ae.getSuspectEntityFirstRep().getCausalityFirstRep().getAssessment().getCodingFirstRep().getCode())
                .isEqualTo("C53256");
        assertThat(ae.getSeriousness().getCodingFirstRep().getCode()).isEqualTo("Serious");
        assertThat(ae.getSeverity().getCodingFirstRep().getCode()).isEqualTo("severe");
        assertThat(ae.getOutcome().getCoding()).extracting("code").containsExactly("resolved");
        assertThat(ae.getSubject().getReference()).isEqualTo("Patient/NKAML-P1-NKAML-P1-01-001");
        assertThat(ae.getStudyFirstRep().getReference()).isEqualTo("ResearchStudy/NKAML-P1");
        assertThat(ae.getDateElement().getValueAsString()).isEqualTo("2021-05-13");
    }

    @Test
    @Order(4)
    void procedureKeepsStudyDayAndComputesMissingDateFromIt() throws Exception {
        dropDemoStudiesOnce();
        Procedure hsct = fhir.read().resource(Procedure.class).withId("NKAML-P1-NKAML-P1-01-003-PR-1").execute();
        assertThat(hsct.getCode().getCoding()).extracting("code").contains("234336002");
        assertThat(studyDay(hsct.getExtensionByUrl(TestData.STUDY_DAY))).isEqualTo(-7);
        // PRSTDTC is empty in the source: RFSTDTC 2022-01-25 is day 1, so day -7 is 2022-01-18
        assertThat(hsct.getPerformedPeriod().getStartElement().getValueAsString()).isEqualTo("2022-01-18");
        Procedure nk = fhir.read().resource(Procedure.class).withId("NKAML-P1-NKAML-P1-01-003-PR-2").execute();
        assertThat(studyDay(nk.getExtensionByUrl(TestData.STUDY_DAY))).isEqualTo(1);
        assertThat(nk.getPerformedPeriod().getStartElement().getValueAsString()).isEqualTo("2022-01-25T09:45:00Z");
    }

    @Test
    @Order(5)
    void researchStudyCarriesRegistryIdAndSubjectsLinkToIt() throws Exception {
        dropDemoStudiesOnce();
        Bundle studies = fhir.search().byUrl("ResearchStudy?identifier=IRCT20140818018842N32").returnBundle(Bundle.class).execute();
        assertThat(studies.getEntry()).hasSize(1);
        ResearchStudy nb = (ResearchStudy) studies.getEntryFirstRep().getResource();
        assertThat(nb.getIdElement().getIdPart()).isEqualTo("NKNB-P12");
        assertThat(nb.getPhase().getCodingFirstRep().getCode()).isEqualTo("phase-1-phase-2");
        assertThat(nb.getTitle()).contains("neuroblastoma");

        Bundle subjects = fhir.search().byUrl("ResearchSubject?study=ResearchStudy/NKNB-P12&_include=ResearchSubject:individual")
                .returnBundle(Bundle.class).execute();
        List<ResearchSubject> rs = subjects.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(ResearchSubject.class::isInstance).map(ResearchSubject.class::cast).toList();
        List<Patient> patients = subjects.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance).map(Patient.class::cast).toList();
        assertThat(rs).hasSize(5);
        assertThat(patients).hasSize(5);
        assertThat(rs).allSatisfy(s -> {
            assertThat(s.getStudy().getReference()).isEqualTo("ResearchStudy/NKNB-P12");
            assertThat(s.getAssignedArm()).isEqualTo("NKAUTO");
            assertThat(s.getPeriod().hasStart()).isTrue();
        });
    }

    @Test
    @Order(6)
    void ehrFindsPatientByIdentifierAndGetsEverything() throws Exception {
        dropDemoStudiesOnce();
        Bundle found = fhir.search().byUrl("Patient?identifier=https://fhir.celltrial.org/sid/usubjid|NKNB-P12-01-002")
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        Patient p = (Patient) found.getEntryFirstRep().getResource();
        // NB subject 002 is one of the planted partial birth dates (month precision is kept)
        assertThat(p.getGender()).isNotNull();

        Bundle everything = fhir.operation().onInstance(p.getIdElement().toUnqualifiedVersionless()).named("$everything")
                .withNoParameters(Parameters.class).returnResourceType(Bundle.class).execute();
        List<String> types = everything.getEntry().stream().map(e -> e.getResource().fhirType()).distinct().toList();
        assertThat(types).contains("Patient", "Procedure", "MedicationAdministration", "Observation");
    }

    @Test
    @Order(7)
    void redeliveringTheSameStudyCreatesNoNewVersions() throws Exception {
        dropDemoStudiesOnce();
        Bundle before = fhir.history().onServer().returnBundle(Bundle.class).execute();
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml-again");
        AdapterHarness.Outcome again = harness.awaitOutcome("aml-again", Duration.ofSeconds(120));
        assertThat(again.area()).isEqualTo("done");
        assertThat(count("Patient")).isEqualTo(10);
        Patient p = fhir.read().resource(Patient.class).withId("NKAML-P1-NKAML-P1-01-001").execute();
        assertThat(p.getMeta().getVersionId()).isEqualTo("1");
        Bundle after = fhir.history().onServer().returnBundle(Bundle.class).execute();
        assertThat(after.getTotal()).isEqualTo(before.getTotal());
    }

    @Test
    @Order(8)
    void serverSpeaksStandardFhirAndReportsHealth() throws Exception {
        dropDemoStudiesOnce();
        CapabilityStatement cs = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(cs.getFhirVersion().toCode()).isEqualTo("4.0.1");
        assertThat(cs.getRestFirstRep().getResource()).extracting("type")
                .contains("Patient", "Procedure", "MedicationAdministration", "AdverseEvent", "ResearchStudy")
                .as("with all types served, FHIR's other types too").contains("Location", "Account", "OperationDefinition")
                .hasSizeGreaterThan(140);
        assertThat(fhir.search().byUrl("Location?_summary=count").returnBundle(Bundle.class).execute().getTotal()).isZero();
        // the chain EHRs use, over a reference that may point at a Location (served here: no type skipped)
        assertThat(fhir.search().byUrl("Observation?subject.identifier=https://fhir.celltrial.org/sid/usubjid|NKNB-P12-01-002&_summary=count")
                .returnBundle(Bundle.class).execute().getTotal()).isPositive();

        // a batch bundle with a read and a search, as a client would send it
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("ResearchStudy/NKAML-P1");
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("AdverseEvent?study=ResearchStudy/NKNB-P12");
        Bundle response = fhir.transaction().withBundle(batch).execute();
        assertThat(response.getEntry()).hasSize(2);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("200");

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
        // no endpoints README does not offer (springdoc, which HAPI brings along, served these)
        for (String path : List.of("/v3/api-docs", "/swagger-ui/index.html")) {
            HttpResponse<String> none = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    @Order(9)
    void aDeliveryWithOnlyDmKeepsWhatTsGaveTheStudy() throws Exception {
        dropDemoStudiesOnce();
        Path dmOnly = DATA.resolve("dm-only-source");
        Files.createDirectories(dmOnly);
        Files.copy(AdapterHarness.DEMO.resolve("nk-nb-auto/dm.csv"), dmOnly.resolve("dm.csv"));
        harness.dropFolder(dmOnly, "nb-dm-only");
        assertThat(harness.awaitOutcome("nb-dm-only", Duration.ofSeconds(120)).area()).isEqualTo("done");
        ResearchStudy nb = fhir.read().resource(ResearchStudy.class).withId("NKNB-P12").execute();
        assertThat(nb.getTitle()).contains("neuroblastoma");
        assertThat(nb.getIdentifier()).extracting("value").contains("IRCT20140818018842N32");
        assertThat(nb.getArm()).extracting("name").containsExactly("NKAUTO");
        assertThat(nb.getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    @Order(10)
    void producedResourcesDeclareOurProfilesWhichTheServerPublishes() throws Exception {
        dropDemoStudiesOnce();
        AdverseEvent ae = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-2").execute();
        String profile = "https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent";
        assertThat(ae.getMeta().getProfile()).extracting("value").containsExactly(profile);

        Bundle sd = fhir.search().byUrl("StructureDefinition?url=" + profile).returnBundle(Bundle.class).execute();
        assertThat(sd.getEntry()).hasSize(1);
        Bundle cm = fhir.search().byUrl("ConceptMap?url=https://fhir.celltrial.org/ConceptMap/sdtm-aetoxgr")
                .returnBundle(Bundle.class).execute();
        assertThat(cm.getEntry()).hasSize(1);

        CapabilityStatement cs = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        CapabilityStatement.CapabilityStatementRestResourceComponent aeCaps = cs.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("AdverseEvent")).findFirst().orElseThrow();
        assertThat(aeCaps.getSupportedProfile()).extracting("value").contains(profile);

        HttpResponse<byte[]> tgz = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ig/package.tgz")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tgz.statusCode()).isEqualTo(200);
        org.hl7.fhir.utilities.npm.NpmPackage npm =
                org.hl7.fhir.utilities.npm.NpmPackage.fromPackage(new java.io.ByteArrayInputStream(tgz.body()));
        assertThat(npm.name()).isEqualTo("celltrial.fhir.adapter");
        assertThat(npm.fhirVersion()).isEqualTo("4.0.1");
        assertThat(npm.listResources("StructureDefinition")).contains("StructureDefinition-celltrial-adverseevent.json");
    }

    @Test
    @Order(10)
    void onlyTheConfiguredSearchParametersAreIndexedAndAnOtherOneIsRefusedByName() throws Exception {
        dropDemoStudiesOnce();
        String base = "http://localhost:" + port + "/fhir/";
        HttpClient http = HttpClient.newHttpClient();
        // indexed (application.yaml): a registry's search by code and date finds the NK infusions of the AML study
        Bundle nk = fhir.search().byUrl("MedicationAdministration?code=https://fhir.celltrial.org/CodeSystem/celltrial-concepts|nk-cells-il2-expanded-haplo"
                + "&effective-time=ge2020-01-01&_summary=count").returnBundle(Bundle.class).execute();
        Bundle all = fhir.search().byUrl("MedicationAdministration?_summary=count").returnBundle(Bundle.class).execute();
        assertThat(nk.getTotal()).isPositive().isLessThan(all.getTotal());
        // not indexed: a clear 400 naming the parameters that are
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "Procedure?performer=Practitioner/x"))
                .header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Unknown search parameter \\\"performer\\\"").contains("identifier, part-of, patient");
        // the CapabilityStatement tells clients the same; a type we do not store keeps all of FHIR's parameters
        CapabilityStatement cs = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        java.util.function.Function<String, List<String>> params = type -> cs.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals(type)).findFirst().orElseThrow()
                .getSearchParam().stream().map(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName).toList();
        assertThat(params.apply("Procedure")).contains("code", "patient", "date").doesNotContain("performer", "reason-code");
        assertThat(params.apply("Encounter")).contains("participant", "reason-code", "service-provider");
        // profiles are stored inline with the resource, and still searchable
        Bundle byProfile = fhir.search().byUrl("AdverseEvent?_profile=https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent&_summary=count")
                .returnBundle(Bundle.class).execute();
        assertThat(byProfile.getTotal()).isEqualTo(count("AdverseEvent")).isPositive();
    }

    @Test
    @Order(11)
    void validateOperationChecksAgainstOurProfilesWithAndWithoutProfileParameter() throws Exception {
        dropDemoStudiesOnce();
        AdverseEvent valid = fhir.read().resource(AdverseEvent.class).withId("NKAML-P1-NKAML-P1-01-001-AE-2").execute();
        String profile = "https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent";
        assertThat(errors(validate(valid, null))).isEmpty();
        org.hl7.fhir.r4.model.OperationOutcome outcome = validate(valid, profile);
        assertThat(errors(outcome)).isEmpty();
        // its study tag (any STUDYID is a code of the study system) is not reported as an unknown code system
        assertThat(valid.getMeta().getTag(org.celltrial.adapter.mapping.StudyTag.SYSTEM, "NKAML-P1")).isNotNull();
        assertThat(outcome.getIssue()).extracting(i -> i.getDiagnostics())
                .noneMatch(d -> d != null && d.contains(org.celltrial.adapter.mapping.StudyTag.SYSTEM));

        AdverseEvent invalid = valid.copy();
        invalid.setSeriousness(null);
        invalid.getMeta().getProfile().clear();
        // without a profile the base R4 AdverseEvent allows a missing seriousness ...
        assertThat(errors(validate(invalid, null))).isEmpty();
        // ... our profile requires it
        assertThat(errors(validate(invalid, profile))).anyMatch(m -> m.contains("seriousness"));
        // declaring the profile in meta.profile is enough without the parameter
        invalid.getMeta().addProfile(profile);
        assertThat(errors(validate(invalid, null))).anyMatch(m -> m.contains("seriousness"));
    }

    @Test
    @Order(12)
    void restWritesAreRefusedByDefault() throws Exception {
        dropDemoStudiesOnce();
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(harness.baseUrl() + "/Patient/intruder"))
                        .header("Content-Type", "application/fhir+json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"id\":\"intruder\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(403);
        HttpResponse<String> delete = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(harness.baseUrl() + "/Patient/NKAML-P1-NKAML-P1-01-001")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(fhir.read().resource(Patient.class).withId("NKAML-P1-NKAML-P1-01-001").execute()).isNotNull();
    }

    /** POST [base]/AdverseEvent/$validate[?profile=…] with the resource as body, as curl users do. */
    private org.hl7.fhir.r4.model.OperationOutcome validate(AdverseEvent ae, String profile) throws Exception {
        String url = harness.baseUrl() + "/AdverseEvent/$validate"
                + (profile == null ? "" : "?profile=" + java.net.URLEncoder.encode(profile, java.nio.charset.StandardCharsets.UTF_8));
        String body = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(ae.copy().setId((String) null));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 412, 422);
        return ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.OperationOutcome.class, response.body());
    }

    private static List<String> errors(org.hl7.fhir.r4.model.OperationOutcome oo) {
        return oo.getIssue().stream()
                .filter(i -> i.getSeverity() == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR
                        || i.getSeverity() == org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.FATAL)
                .map(i -> i.getDiagnostics() + " @ " + i.getExpression()).toList();
    }

    private static Integer studyDay(Extension ext) {
        assertThat(ext).as("study-day extension").isNotNull();
        return ((IntegerType) ext.getValue()).getValue();
    }

    static long filesIn(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }
}
