package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.validation.FhirValidator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.profiles.CellTrialPackage;
import org.celltrial.adapter.profiles.StockValidation;
import org.celltrial.adapter.profiles.ValidationResult;
import org.celltrial.adapter.profiles.ValidationSupports;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data we did not write: the complete SDTM study CDISC wrote with SAS (27 domains, 18 subjects; MSG v2 example,
 * ../shared/reference/cdisc-msg-sdtm), delivered as CSV through the inbox route like any sponsor's export. At least
 * 99 % of its records are stored (the rest rejected with a reason), no dataset is rejected whole, untranslated values
 * go to the worklist, and the stock HL7 validator finds no error in any stored resource.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CdiscReferenceStudyIT {

    static final Path DATA = TestData.newDataDir("cdisc");
    static final FhirContext CTX = FhirContext.forR4Cached();
    private static final List<String> TYPES = List.of("ResearchStudy", "Patient", "ResearchSubject", "AdverseEvent",
            "Procedure", "MedicationAdministration", "MedicationStatement", "Observation", "Condition", "Encounter",
            "EpisodeOfCare", "PlanDefinition", "Group", "List", "Device");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void theCdiscStudyLandsAndEveryStoredResourceConformsToOurProfiles() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        Path delivery = DATA.resolve("src-cdisc");
        int rows = CdiscReferenceCsv.write(delivery);
        harness.dropFolder(delivery, "cdisc-msg-sdtm");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("cdisc-msg-sdtm", Duration.ofMinutes(10));
        String report = outcome.report();

        assertThat(report).doesNotContain("(whole file)");
        assertThat(report).doesNotContain("Not mapped");
        int read = rows;
        int stored = rows;
        Matcher m = Pattern.compile("PROBLEMS - (\\d+) of (\\d+) records stored").matcher(report);
        if (m.find()) {
            stored = Integer.parseInt(m.group(1));
            read = Integer.parseInt(m.group(2));
        } else {
            assertThat(report).contains("OK - all " + rows + " records stored");
        }
        assertThat(read).isEqualTo(rows);
        System.out.printf("CDISC MSG study: %d of %d records stored (%.2f %%)%n", stored, read, 100.0 * stored / read);
        assertThat(stored * 100.0 / read).as(report).isGreaterThanOrEqualTo(99.0);

        // untranslated values are in the worklist, and the report says so
        JsonNode worklist = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/terminology/unmapped")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        if (report.contains("Warnings (stored, but a value has no code")) {
            assertThat(worklist.size()).isPositive();
        }

        // every stored resource, judged by the stock HL7 validator against its declared profile; one validator per
        // core, each on its own share of the resources (the stock validation is most of this test's time)
        IGenericClient fhir = harness.client();
        List<Resource> resources = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (String type : TYPES) {
            Bundle page = fhir.search().byUrl(type + "?_count=500").returnBundle(Bundle.class).execute();
            while (true) {
                for (Bundle.BundleEntryComponent e : page.getEntry()) {
                    resources.add(e.getResource());
                    counts.merge(type, 1, Integer::sum);
                }
                if (page.getLink("next") == null) {
                    break;
                }
                page = fhir.loadPage().next(page).execute();
            }
        }
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        Map<String, String> errors = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> shares = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = t;
                shares.add(pool.submit(() -> {
                    FhirValidator validator = StockValidation.newValidator(CTX, ValidationSupports.chain(CTX, CellTrialPackage.load(CTX)));
                    for (int i = share; i < resources.size(); i += threads) {
                        Resource r = resources.get(i);
                        ValidationResult result = StockValidation.validate(validator, r, null);
                        List<String> messages = new ArrayList<>();
                        result.errors().forEach(issue -> messages.add(issue.toString()));
                        if (!messages.isEmpty() && errors.size() < 20) {
                            errors.put(r.fhirType() + "/" + r.getIdPart(), String.join("; ", messages));
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : shares) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("CDISC MSG study, stored resources by type: " + counts);
        assertThat(errors).as("HL7 validator errors").isEmpty();
        assertThat(counts.keySet()).contains("Patient", "AdverseEvent", "Observation", "MedicationAdministration",
                "MedicationStatement", "Condition", "Encounter", "EpisodeOfCare", "PlanDefinition", "Group", "List", "Device");
        assertThat(report).doesNotContain("ta.csv row").doesNotContain("te.csv row").doesNotContain("tv.csv row");
    }
}
