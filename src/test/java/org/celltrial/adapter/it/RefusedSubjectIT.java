package org.celltrial.adapter.it;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several subjects share one database transaction (celltrial.ingest.subjects-per-transaction). When the server refuses
 * one of them (here a storage rule of the site, as a HAPI interceptor, vetoes one of its procedures after its Patient
 * was written), that subject fails alone and leaves nothing behind, while the other subjects of the same transaction
 * land, and the message store lists its records with the server's reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RefusedSubjectIT {

    static final Path DATA = TestData.newDataDir("refused");
    static final String REFUSED_SUBJECT = "NKAML-P1-NKAML-P1-01-003";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        // 5 subjects over 2 workers: transactions of 3 and 2 subjects, the refused one in the first
        r.add("celltrial.ingest.subjects-per-transaction", () -> "50");
        r.add("celltrial.ingest.workers", () -> "2");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    IInterceptorService interceptors;

    /** Refuses the NK-cell infusion procedure of one subject, as a site's own storage rule might. */
    public static class SiteRule {
        final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

        @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
        public void check(IBaseResource resource) {
            if (resource.getIdElement().getIdPart().equals(REFUSED_SUBJECT + "-PR-2")) {
                refusals.incrementAndGet();
                throw new UnprocessableEntityException("site rule: infusion procedures need a lot number");
            }
        }
    }

    final SiteRule rule = new SiteRule();

    @AfterEach
    void removeRule() {
        interceptors.unregisterInterceptor(rule);
    }

    @Test
    void aRefusedSubjectFailsAloneAndTheOthersOfItsTransactionLand() throws Exception {
        interceptors.registerInterceptor(rule);
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-aml-haplo"), "aml");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("aml", Duration.ofSeconds(120));

        assertThat(outcome.area()).isEqualTo("error");
        // once in the shared transaction, once when written alone
        assertThat(rule.refusals.get()).isEqualTo(2);
        assertThat(outcome.report()).contains("FHIR server rejected the resources").contains("site rule: infusion procedures need a lot number");

        IGenericClient fhir = harness.client();
        // nothing of the refused subject: not its Patient, not the procedure before the refused one
        assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId(REFUSED_SUBJECT).execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.read().resource(Procedure.class).withId(REFUSED_SUBJECT + "-PR-1").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.read().resource(Provenance.class)
                .withId(org.celltrial.adapter.ingest.fhir.ProvenanceFactory.idFor("NKAML-P1", REFUSED_SUBJECT.substring("NKAML-P1-".length())))
                .execute()).isInstanceOf(ResourceNotFoundException.class);
        // the other subjects of the same transaction are all there, each with its Provenance, at version 1
        Bundle procedures = fhir.search().byUrl("Procedure?_count=100").returnBundle(Bundle.class).execute();
        int subjects = TestData.rows("nk-aml-haplo/dm.csv");
        assertThat(fhir.search().byUrl("Patient?_summary=count").returnBundle(Bundle.class).execute().getTotal())
                .isEqualTo(subjects - 1);
        assertThat(procedures.getEntry()).hasSize(TestData.rows("nk-aml-haplo/pr.csv") - 2);
        procedures.getEntry().forEach(e -> assertThat(e.getResource().getMeta().getVersionId()).isEqualTo("1"));
        assertThat(fhir.search().byUrl("Provenance?_summary=count").returnBundle(Bundle.class).execute().getTotal())
                .isEqualTo(subjects - 1 + 1); // one per stored subject, one for the study-level resources

        // the message store: exactly the refused subject's records failed, with the server's reason; the rest stored
        JsonNode delivery = api("/api/deliveries").get(0);
        int refusedRecords = recordsOf("NKAML-P1-01-003");
        int allRecords = 0;
        for (String f : new String[] {"ts.csv", "dm.csv", "pr.csv", "EX.csv", "ae.csv", "ce.csv"}) {
            allRecords += TestData.rows("nk-aml-haplo/" + f);
        }
        assertThat(delivery.get("counts").get("failed").asInt()).isEqualTo(refusedRecords);
        assertThat(delivery.get("counts").get("stored").asInt()).isEqualTo(allRecords - refusedRecords);
        JsonNode failed = api("/api/deliveries/" + delivery.get("id").asText() + "/records?status=failed");
        assertThat(failed).hasSize(refusedRecords);
        failed.forEach(r -> assertThat(r.get("reason").get("issue").get(0).get("diagnostics").asText())
                .contains("FHIR server rejected the resources").contains("site rule: infusion procedures need a lot number"));
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    /** Records of one subject in the demo study's subject-level datasets. */
    private static int recordsOf(String usubjid) throws Exception {
        int n = 0;
        for (String f : new String[] {"dm.csv", "pr.csv", "EX.csv", "ae.csv", "ce.csv"}) {
            try (var parser = org.apache.commons.csv.CSVParser.parse(AdapterHarness.DEMO.resolve("nk-aml-haplo/" + f),
                    java.nio.charset.StandardCharsets.UTF_8, org.apache.commons.csv.CSVFormat.RFC4180.builder()
                            .setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).build())) {
                for (var record : parser) {
                    if (record.get("USUBJID").equals(usubjid)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
