package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.ListResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CDISC's dataset-level relation "AE records relate to DS records by AELNKID = DSLNKID" (RELREC, data we did not
 * write), through the real inbox as Dataset-JSON: it lands as one List per subject and linking value pointing at the
 * stored AdverseEvent and disposition Observation; a re-delivery in which the DS record no longer carries the link
 * retires that List (entered-in-error) and keeps the others; a RELREC-only
 * re-delivery retires none.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatasetRelationsIT {

    static final Path DATA = TestData.newDataDir("relations");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DYSPNOEA = "CDISCPILOT01-CDISC002-RELREC-AEDS-8"; // AE 8 ↔ DS 2 (discontinued for an AE)
    static final String DEATH = "CDISCPILOT01-CDISC002-RELREC-AEDS-9";    // AE 9 ↔ DS 3 (death)

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;

    private static Path delivery(Path data, String name, List<String> datasets) throws IOException {
        Path dir = Files.createDirectories(data.resolve("src-" + name));
        for (String d : datasets) {
            Files.copy(CdiscReferenceCsv.DATASET_JSON.resolve(d + ".json"), dir.resolve(d + ".json"));
        }
        return dir;
    }

    /** Blanks DSLNKID of one subject's DS record: the disposition no longer names the adverse event. */
    private static void unlink(Path dsJson, String usubjid, int dsseq) throws IOException {
        ObjectNode ds = (ObjectNode) JSON.readTree(dsJson.toFile());
        List<String> columns = new java.util.ArrayList<>();
        ds.get("columns").forEach(c -> columns.add(c.get("name").asText()));
        int subject = columns.indexOf("USUBJID");
        int seq = columns.indexOf("DSSEQ");
        int link = columns.indexOf("DSLNKID");
        int changed = 0;
        for (JsonNode row : ds.get("rows")) {
            if (row.get(subject).asText().equals(usubjid) && row.get(seq).asInt() == dsseq) {
                ((ArrayNode) row).set(link, JSON.getNodeFactory().textNode(""));
                changed++;
            }
        }
        assertThat(changed).as("test data: the DS record exists").isEqualTo(1);
        JSON.writeValue(dsJson.toFile(), ds);
    }

    private static List<String> entries(IGenericClient fhir, String id) {
        return fhir.read().resource(ListResource.class).withId(id).execute().getEntry().stream()
                .map(e -> e.getItem().getReference()).toList();
    }

    @Test
    void datasetLevelRelationsLandAsReferencesAndAreRetiredWithTheirLink() throws Exception {
        landAndRetire(DATA, port, () -> { });
    }

    /** The scenario, also run with every delivery streamed (DatasetRelationsStreamedIT). */
    static void landAndRetire(Path data, int port, Runnable afterFirstDelivery) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(CdiscReferenceCsv.DATASET_JSON), "reference study not present");
        AdapterHarness harness = new AdapterHarness(data, port);
        IGenericClient fhir = harness.client();
        List<String> datasets = List.of("dm", "ae", "ds", "relrec");

        harness.dropFolder(delivery(data, "v1", datasets), "v1");
        AdapterHarness.Outcome first = harness.awaitOutcome("v1", Duration.ofSeconds(240));
        assertThat(first.area()).as(first.report()).isEqualTo("done");
        assertThat(entries(fhir, DYSPNOEA)).containsExactly("AdverseEvent/CDISCPILOT01-CDISC002-AE-8",
                "Observation/CDISCPILOT01-CDISC002-DS-2");
        assertThat(entries(fhir, DEATH)).containsExactly("AdverseEvent/CDISCPILOT01-CDISC002-AE-9",
                "Observation/CDISCPILOT01-CDISC002-DS-3");
        // the references resolve: both records are stored
        assertThat(fhir.read().resource("AdverseEvent").withId("CDISCPILOT01-CDISC002-AE-8").execute()).isNotNull();
        afterFirstDelivery.run();

        Path v2 = delivery(data, "v2", datasets);
        unlink(v2.resolve("ds.json"), "CDISC002", 2);
        harness.dropFolder(v2, "v2");
        AdapterHarness.Outcome second = harness.awaitOutcome("v2", Duration.ofSeconds(240));
        assertThat(second.area()).as(second.report()).isEqualTo("done");
        // retired as the List's status can say it (the retirer's policy: entered-in-error where a status allows)
        assertThat(fhir.read().resource(ListResource.class).withId(DYSPNOEA).execute().getStatus())
                .isEqualTo(ListResource.ListStatus.ENTEREDINERROR);
        assertThat(fhir.read().resource(ListResource.class).withId(DEATH).execute().getStatus())
                .isEqualTo(ListResource.ListStatus.CURRENT);
        assertThat(entries(fhir, DEATH)).hasSize(2);
        assertThat(second.report()).contains("1 resource(s) of study CDISCPILOT01 no longer have a source row and were retired");

        harness.dropFolder(delivery(data, "v3", List.of("relrec")), "v3");
        AdapterHarness.Outcome third = harness.awaitOutcome("v3", Duration.ofSeconds(240));
        assertThat(third.area()).as(third.report()).isEqualTo("done");
        assertThat(third.report()).doesNotContain("were retired");
        assertThat(fhir.read().resource(ListResource.class).withId(DEATH).execute().getStatus())
                .isEqualTo(ListResource.ListStatus.CURRENT);
    }
}
