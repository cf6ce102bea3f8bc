package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's "done when", through the real inbox route: the CDISC MSG v2 study (data we did not write) as SAS XPORT
 * with its define.xml, dropped into the inbox as one folder, lands; then the same study as Dataset-JSON (with the same
 * define, as sponsors ship it) lands too, and every resource the server serves is the same as after the XPT delivery.
 *
 * <p>Excluded from the comparison, because they differ legitimately between two deliveries: {@code meta.versionId} and
 * {@code meta.lastUpdated} (when and how often a resource was written), {@code Provenance.recorded} (when), and in
 * Provenance entities the delivery's name and the file extension ({@code msg-xpt/ae.xpt#row=3} names where a record
 * came from, which is the point of Provenance). Nothing else is touched.
 *
 * <p>What makes the comparison able to fail: the adapter does not rewrite a resource whose source records are
 * byte-for-byte the ones it was written from, so identical data leaves the resources as they are; a record the
 * Dataset-JSON gave differently would be rewritten (and differ here), a record it lacked would be retired (and be
 * missing here), an extra one would add a resource, and a rejected one shows in the compared report. The comparison
 * of freshly mapped content, without stored resources, is {@code ReferenceStudyMappedTest}. One Spring context, two
 * deliveries: the suite stays fast.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DefineAndFormatsIT {

    static final Path DATA = TestData.newDataDir("define-formats");
    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final List<String> TYPES = List.of("ResearchStudy", "Patient", "ResearchSubject", "AdverseEvent",
            "Procedure", "MedicationAdministration", "MedicationStatement", "Observation", "Condition", "Encounter",
            "EpisodeOfCare", "PlanDefinition", "Group", "List", "Device", "Provenance");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void theStudyAsXptWithItsDefineAndAsDatasetJsonLandWithTheSameFhirContent() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);

        Path xpt = folder("src-xpt", "xpt", ".xpt");
        harness.dropFolder(xpt, "msg-xpt");
        String xptReport = harness.awaitOutcome("msg-xpt", Duration.ofMinutes(15)).report();
        // the define was used: one line per dataset with its label, and the datasets it declares but this lacks
        assertThat(xptReport).contains("define.xml: Define-XML 2.1.0 with 31 datasets")
                .contains("ae.xpt: \"Adverse Events\"; declared but not in the data: none")
                .contains("define.xml describes 4 dataset(s) this delivery does not have: FT, NV, SUPPNV, SUPPOE")
                .doesNotContain("(whole file)").doesNotContain("does not fit the data type");
        Map<String, String> afterXpt = served(harness.client());
        assertThat(afterXpt.keySet()).anyMatch(k -> k.startsWith("Patient/")).anyMatch(k -> k.startsWith("Provenance/"));
        // the define's decode reached FHIR: DS codings carry it as display
        assertThat(afterXpt.values()).anyMatch(r -> r.contains("\"code\":\"COMPLETED\",\"display\":\"Completed\""));

        // ft.json is left out: the reference folder has no ft.xpt, and FT would add resources the XPT delivery has not
        Path json = folder("src-json", "dataset-json", ".json");
        Files.delete(json.resolve("ft.json"));
        harness.dropFolder(json, "msg-json");
        String jsonReport = harness.awaitOutcome("msg-json", Duration.ofMinutes(15)).report();
        System.out.println("Dataset-JSON delivery after the XPT one: " + firstLines(jsonReport));
        // the same records stored and rejected (only "FHIR resources written" may differ: unchanged ones are kept)
        assertThat(line(jsonReport, "Outcome:")).isEqualTo(line(xptReport, "Outcome:"));
        assertThat(normalized(section(jsonReport, "Problems"))).isEqualTo(normalized(section(xptReport, "Problems")));
        assertThat(jsonReport).doesNotContain("were retired");

        Map<String, String> afterJson = served(harness.client());
        assertThat(afterJson.keySet()).isEqualTo(afterXpt.keySet());
        List<String> differing = afterXpt.keySet().stream().filter(k -> !afterXpt.get(k).equals(afterJson.get(k)))
                .limit(5).toList();
        assertThat(differing).as("resources that differ after the Dataset-JSON delivery").isEmpty();
    }

    /** The reference study's files of one format and its define.xml, copied into a delivery folder. */
    private static Path folder(String name, String format, String extension) throws Exception {
        Path dir = Files.createDirectories(DATA.resolve(name));
        for (Path f : ReferenceStudy.files(format, extension)) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        Files.copy(ReferenceStudy.ROOT.resolve("define.xml"), dir.resolve("define.xml"));
        return dir;
    }

    /** Every resource the server serves, by Type/id, as JSON without what legitimately differs (see the class). */
    private static Map<String, String> served(IGenericClient fhir) {
        Map<String, String> out = new TreeMap<>();
        for (String type : TYPES) {
            Bundle page = fhir.search().byUrl(type + "?_count=500").returnBundle(Bundle.class).execute();
            while (true) {
                for (Bundle.BundleEntryComponent e : page.getEntry()) {
                    Resource r = e.getResource();
                    r.getMeta().setVersionId(null).setLastUpdated(null);
                    if (r instanceof Provenance p) {
                        p.setRecorded(null);
                        for (Provenance.ProvenanceEntityComponent entity : p.getEntity()) {
                            entity.getWhat().getIdentifier().setValue(delivery(entity.getWhat().getIdentifier().getValue()));
                            entity.getWhat().setDisplay(delivery(entity.getWhat().getDisplay()));
                        }
                    }
                    out.put(type + "/" + r.getIdElement().getIdPart(), CTX.newJsonParser().encodeResourceToString(r));
                }
                if (page.getLink("next") == null) {
                    break;
                }
                page = fhir.loadPage().next(page).execute();
            }
        }
        return out;
    }

    private static final Pattern FILE = Pattern.compile("\\b(msg-xpt|msg-json)\\b|\\.(xpt|json)\\b");

    /** The delivery's name and the file extension in a Provenance entity, made neutral. */
    private static String delivery(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = FILE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, m.group(1) != null ? "<delivery>" : ".<format>");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String normalized(String reportPart) {
        return delivery(reportPart);
    }

    private static String line(String report, String start) {
        return report.lines().filter(l -> l.startsWith(start)).findFirst().orElse("(no " + start + " line)");
    }

    /** The report's part from the line starting with {@code heading} to the next empty line ("" if none). */
    private static String section(String report, String heading) {
        int start = report.indexOf("\n" + heading);
        if (start < 0) {
            return "";
        }
        int end = report.indexOf("\n\n", start + 1);
        return report.substring(start, end < 0 ? report.length() : end);
    }

    private static String firstLines(String report) {
        try (Stream<String> lines = report.lines()) {
            return String.join(" | ", lines.limit(3).toList());
        }
    }
}
