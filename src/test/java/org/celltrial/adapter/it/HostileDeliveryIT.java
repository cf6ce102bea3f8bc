package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.celltrial.adapter.ingest.Inbox;
import org.celltrial.adapter.ingest.IngestProperties;
import org.celltrial.adapter.ingest.IngestSafetyProperties;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile deliveries through the running adapter (real files, real FIFOs and links, the Camel routes, FHIR and the
 * actuator over HTTP): a delivery whose attempts crashed the application is quarantined at start while an innocent one
 * interrupted with it lands; links, FIFOs and devices are refused by name and never opened or followed, and do not stop
 * the deliveries after them; zip path tricks, nested zips and too many entries; names and values with line breaks
 * cannot forge a line of the report or the log; readiness follows the inbox poller.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class HostileDeliveryIT {

    static final Path DATA = TestData.newDataDir("hostile");
    static final Duration WAIT = Duration.ofSeconds(120);

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        TestData.h2Properties(r, DATA);
        r.add("management.endpoint.health.group.readiness.show-details", () -> "always");
        r.add("celltrial.ingest.safety.time-budget", () -> "30s"); // small deliveries take ~1 s, the big one minutes
        seedInterruptedDeliveries();
    }

    /**
     * The state a crash loop leaves, made by the real inbox code before the application starts: "poisoned" was
     * claimed three times and each time the application died while ingesting it (claim, then the re-queue of the next
     * start); "innocent" was claimed once, in the same crash.
     */
    static void seedInterruptedDeliveries() throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("celltrial.ingest.inbox", DATA.resolve("inbox").toString());
        s.put("celltrial.ingest.work", DATA.resolve("inbox/.processing").toString());
        s.put("celltrial.ingest.done", DATA.resolve("done").toString());
        s.put("celltrial.ingest.error", DATA.resolve("error").toString());
        s.put("celltrial.ingest.safety.spool", DATA.resolve("tmp/spool").toString());
        Binder binder = new Binder(new MapConfigurationPropertySource(s));
        Inbox inbox = new Inbox(binder.bind("celltrial.ingest", IngestProperties.class).get(),
                binder.bindOrCreate("celltrial.ingest.safety", IngestSafetyProperties.class));
        Path in = DATA.resolve("inbox");
        HostileInputs.folder(in, "poisoned", Map.of("dm.csv", HostileInputs.dm("POISON-1", 2)));
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(inbox.claim(in.resolve("poisoned"))).isNotNull();
            if (attempt < 3) {
                inbox.recoverInterrupted(); // the next start puts it back, and claims it again
            }
        }
        assertThat(inbox.attempts("poisoned")).isEqualTo(3);
        HostileInputs.folder(in, "innocent", Map.of("dm.csv", HostileInputs.dm("INNO-1", 2)));
        assertThat(inbox.claim(in.resolve("innocent"))).isNotNull();
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    CamelContext camel;

    AdapterHarness harness() {
        return new AdapterHarness(DATA, port);
    }

    @Test
    @Order(1)
    void aDeliveryThatCrashedTheApplicationThreeTimesIsQuarantinedAndTheInnocentOneLands() throws Exception {
        AdapterHarness h = harness();
        AdapterHarness.Outcome poisoned = h.awaitOutcome("poisoned", WAIT);
        assertThat(poisoned.area()).isEqualTo("error");
        assertThat(poisoned.report()).contains("Outcome: QUARANTINED - not processed again")
                .contains("3 attempts to ingest this delivery did not finish")
                .contains("celltrial.ingest.safety.max-attempts = 3");
        AdapterHarness.Outcome innocent = h.awaitOutcome("innocent", WAIT);
        assertThat(innocent.area()).isEqualTo("done");
        assertThat(innocent.report()).contains("OK - all 2 records stored");

        IGenericClient fhir = h.client();
        assertThat(fhir.read().resource(Patient.class).withId("INNO-1-INNO-1-001").execute()).isNotNull();
        assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId("POISON-1-POISON-1-001").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(workArea()).as("inbox/.processing (deliveries and attempt markers)").isEmpty();
    }

    @Test
    @Order(2)
    void linksFifosAndLinkedDeliveriesAreRefusedByNameNeverOpenedAndDoNotStopTheDeliveriesAfterThem() throws Exception {
        AdapterHarness h = harness();
        Path in = h.inbox();
        // a FIFO named like a zip: opening it would block the poller forever
        HostileInputs.fifo(in.resolve("fifo.zip"));
        // a delivery that is a link to a folder elsewhere (which holds a valid study)
        Path elsewhere = DATA.resolve("outside");
        Files.createDirectories(elsewhere);
        Files.writeString(elsewhere.resolve("dm.csv"), HostileInputs.dm("OUT-1", 1));
        Files.createSymbolicLink(in.resolve("linked-study"), elsewhere);
        // a folder with a good dataset, a link to /etc/passwd, a FIFO and a link to a folder
        Map<String, String> files = Map.of("dm.csv", HostileInputs.dm("LNK-1", 1));
        Path staging = in.resolve(".links-study.partial");
        Files.createDirectories(staging);
        Files.writeString(staging.resolve("dm.csv"), files.get("dm.csv"));
        Files.createSymbolicLink(staging.resolve("ae.csv"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(staging.resolve("etc"), Path.of("/etc"));
        HostileInputs.fifo(staging.resolve("pr.csv"));
        Files.move(staging, in.resolve("links-study"));

        AdapterHarness.Outcome fifo = h.awaitOutcome("fifo", WAIT);
        assertThat(fifo.area()).isEqualTo("error");
        assertThat(fifo.report()).contains("Delivery: fifo.zip").contains("Outcome: REFUSED - nothing of it was read")
                .contains("a FIFO (named pipe) in the inbox: refused, never opened");
        AdapterHarness.Outcome linked = h.awaitOutcome("linked-study", WAIT);
        assertThat(linked.area()).isEqualTo("error");
        assertThat(linked.report()).contains("a symbolic link in the inbox: refused, never followed");
        assertThat(elsewhere.resolve("dm.csv")).as("the link's target is left alone").exists();

        AdapterHarness.Outcome links = h.awaitOutcome("links-study", WAIT);
        assertThat(links.area()).isEqualTo("error");
        assertThat(links.report())
                .contains("ae.csv (whole file): refused, never opened or followed: a symbolic link")
                .contains("etc (whole file): refused, never opened or followed: a symbolic link")
                .contains("pr.csv (whole file): refused, never opened or followed: a FIFO (named pipe)")
                .contains("1 of 1 records stored")
                .doesNotContain("root:");

        // after them, a good delivery still flows
        HostileInputs.folder(in, "zz-after-hostile", Map.of("dm.csv", HostileInputs.dm("AFTER-1", 1)));
        assertThat(h.awaitOutcome("zz-after-hostile", WAIT).area()).isEqualTo("done");

        IGenericClient fhir = h.client();
        assertThat(fhir.read().resource(Patient.class).withId("LNK-1-LNK-1-001").execute()).isNotNull();
        assertThat(fhir.read().resource(Patient.class).withId("AFTER-1-AFTER-1-001").execute()).isNotNull();
        assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId("OUT-1-OUT-1-001").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(workArea()).isEmpty();
    }

    @Test
    @Order(3)
    void zipPathTricksAndNestedZipsAreRefusedByNameAndTooManyEntriesFailTheDelivery() throws Exception {
        AdapterHarness h = harness();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("site/dm.csv", HostileInputs.dm("ZIP-1", 2).getBytes(StandardCharsets.UTF_8));
        entries.put("../../escape.csv", "STUDYID\nX\n".getBytes(StandardCharsets.UTF_8));
        entries.put("/tmp/absolute.csv", "STUDYID\nX\n".getBytes(StandardCharsets.UTF_8));
        entries.put("site/inner.zip", "PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1));
        HostileInputs.zip(h.inbox().resolve("zip-tricks.zip"), entries);
        AdapterHarness.Outcome tricks = h.awaitOutcome("zip-tricks", WAIT);
        assertThat(tricks.area()).isEqualTo("error");
        assertThat(tricks.report())
                .contains("../../escape.csv (whole file): refused: the path is absolute or leaves the delivery with '..'")
                .contains("/tmp/absolute.csv (whole file): refused: the path is absolute")
                .contains("site/inner.zip (whole file): refused: an archive inside the delivery is not expanded")
                .contains("2 of 2 records stored");
        assertThat(DATA.resolve("escape.csv")).doesNotExist();
        assertThat(DATA.getParent().resolve("escape.csv")).doesNotExist();

        HostileInputs.manyEntries(h.inbox().resolve("many-entries.zip"), 10_001);
        AdapterHarness.Outcome many = h.awaitOutcome("many-entries", WAIT);
        assertThat(many.area()).isEqualTo("error");
        assertThat(many.report()).contains("Outcome: FAILED")
                .contains("more than 10000 entries (celltrial.ingest.safety.max-entries)");
        try (Stream<Path> s = Files.list(DATA.resolve("tmp/spool"))) {
            assertThat(s.toList()).as("spooled zip entries left behind").isEmpty();
        }
    }

    @Test
    @Order(4)
    void namesAndValuesWithLineBreaksCannotForgeALineOfTheReportOrTheLog(CapturedOutput output) throws Exception {
        AdapterHarness h = harness();
        String dm = HostileInputs.dm("FRG-1", 1)
                + "FRG-1,DM,FRG-1-002,002,2023-03-01,,01,\"2010-01-01\nINFO forged-value \u001b[31m\",7,YEARS,F,NK,NK cells,NK,NK cells\n";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("dm.csv", dm);
        files.put("notes\r\nWARN forged-note.txt", "x");
        String name = "evil\nINFO forged";
        HostileInputs.folder(h.inbox(), name, files);

        AdapterHarness.Outcome outcome = h.awaitOutcome(name, WAIT);
        assertThat(outcome.area()).isEqualTo("error");
        String report = outcome.report();
        assertThat(report).contains("Delivery: evil\\nINFO forged\n")
                .contains("dm.csv row 2 column BRTHDTC: '2010-01-01\\nINFO forged-value \\u001B[31m' is not an ISO 8601 date")
                .contains("notes\\r\\nWARN forged-note.txt: not a dataset file (read here: CSV, SAS XPORT v5, Dataset-JSON v1.1, CDISC ODM 1.3), ignored")
                .contains("1 of 2 records stored");
        assertForgedLinesAbsent("report", report);

        Thread.sleep(500); // the route's last log line follows the report
        String log = output.getAll();
        assertThat(log).contains("evil\\nINFO forged");
        assertForgedLinesAbsent("log", log);
        assertThat(log).doesNotContain("\u001b[31m'");
    }

    private static void assertForgedLinesAbsent(String what, String text) {
        List<String> forged = Arrays.stream(text.split("\\R"))
                .filter(l -> l.startsWith("INFO forged") || l.startsWith("WARN forged") || l.startsWith("INFO forged-value"))
                .toList();
        assertThat(forged).as("forged lines in the %s", what).isEmpty();
    }

    @Test
    @Order(5)
    void readinessIsDownWhileTheInboxPollerRouteIsStoppedAndUpAgainWhenItRuns() throws Exception {
        HttpResponse<String> up = readiness();
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"ingest\"").contains("\"poller\":\"Started\"");

        camel.getRouteController().stopRoute("sdtm-inbox-poll");
        try {
            assertThat(camel.getRouteController().getRouteStatus("sdtm-inbox-poll")).isEqualTo(ServiceStatus.Stopped);
            HttpResponse<String> down = readiness();
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("the inbox poller route is stopped");
        } finally {
            camel.getRouteController().startRoute("sdtm-inbox-poll");
        }
        assertThat(readiness().statusCode()).isEqualTo(200);
        HostileInputs.folder(harness().inbox(), "after-restart", Map.of("dm.csv", HostileInputs.dm("RST-1", 1)));
        assertThat(harness().awaitOutcome("after-restart", WAIT).area()).isEqualTo("done");
    }

    @Test
    @Order(6)
    void aDeliveryThatOutlastsItsTimeBudgetIsAbandonedAndQuarantinedAndTheNextOneStillLands() throws Exception {
        AdapterHarness h = harness();
        Path source = DATA.resolve("big-source");
        SyntheticStudyGenerator.Summary big = SyntheticStudyGenerator.write(source, "BIG-1", 4000, 4711);
        long t0 = System.nanoTime();
        h.dropFolder(source, "big-study");
        HostileInputs.folder(h.inbox(), "zz-after-big", Map.of("dm.csv", HostileInputs.dm("AFTB-1", 1)));

        AdapterHarness.Outcome outcome = h.awaitOutcome("big-study", Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("time budget: %s (%d records) quarantined after %.1f s with a budget of 30 s%n", big,
                big.records(), seconds);
        assertThat(outcome.area()).isEqualTo("error");
        assertThat(outcome.report()).contains("Outcome: QUARANTINED - not processed again")
                .contains("did not finish within its time budget of 30.0 s (celltrial.ingest.safety.time-budget)");
        assertThat(seconds).isBetween(30.0, 90.0);

        AdapterHarness.Outcome after = h.awaitOutcome("zz-after-big", Duration.ofMinutes(5));
        assertThat(after.area()).isEqualTo("done");
        System.out.printf("time budget: the next delivery landed %.1f s after the drop%n", (System.nanoTime() - t0) / 1e9);
        assertThat(h.client().read().resource(Patient.class).withId("AFTB-1-AFTB-1-001").execute()).isNotNull();
        assertThat(workArea()).isEmpty();
        assertThat(readiness().statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> readiness() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> workArea() throws IOException {
        try (Stream<Path> s = Files.list(DATA.resolve("inbox/.processing"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
