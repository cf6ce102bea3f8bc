package org.celltrial.adapter.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input corpus of issue 14 against one running adapter (H2): every delivery case (kept as data under
 * {@code src/test/resources/bad-input/deliveries/}, or built by {@link CorpusGenerated}) is dropped into the inbox
 * at once and must end with its clear error in the report while its good sibling records land; every FHIR request
 * case ({@code src/test/resources/bad-input/fhir/*.http} and {@link CorpusGenerated#requests()}) must get its answer,
 * read no local file, call no URL, and leave the server answering the next request. Then the same bytes delivered
 * again and identical deliveries at once must write nothing new, and at the end the store holds exactly the Patients
 * the cases let land, the probes are UP and the log holds no subject id and no stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class BadInputCorpusIT {

    static final Path DATA = TestData.newDataDir("corpus");
    static final Duration WAIT = Duration.ofMinutes(8);
    static final long MAX_DELIVERY_BYTES = 64L * 1024 * 1024;
    static final String SECRET = "CORPUS-SECRET-" + UUID.randomUUID();
    static final List<CorpusDelivery> DELIVERIES = new ArrayList<>();
    static final List<CorpusRequest> REQUESTS = new ArrayList<>();
    /** Patients every case so far said must be stored; at the end the server must hold exactly these. */
    static final AtomicInteger PATIENTS = new AtomicInteger();
    static final AtomicInteger SSRF_HITS = new AtomicInteger();
    static final Pattern SUBJECT_ID = Pattern.compile("BI\\d{3}-00[12]");
    static HttpServer ssrf;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.ingest.max-delivery-bytes", () -> Long.toString(MAX_DELIVERY_BYTES));
    }

    static List<CorpusDelivery> deliveries() {
        if (DELIVERIES.isEmpty()) {
            DELIVERIES.addAll(CorpusDelivery.fromResources());
            DELIVERIES.addAll(CorpusGenerated.deliveries());
        }
        return DELIVERIES;
    }

    static List<CorpusRequest> requests() {
        if (REQUESTS.isEmpty()) {
            REQUESTS.addAll(CorpusRequest.fromResources());
            REQUESTS.addAll(CorpusGenerated.requests());
        }
        return REQUESTS;
    }

    static String study(CorpusDelivery c) {
        return String.format("BI%03d", deliveries().indexOf(c));
    }

    /** All deliveries at once, before the application starts: the inbox works through them while the tests wait. */
    @BeforeAll
    static void dropEveryDeliveryAndStartTheListener() throws IOException {
        Path inbox = DATA.resolve("inbox");
        Files.createDirectories(inbox);
        Files.writeString(DATA.resolve("secret.txt"), SECRET);
        List<CorpusDelivery> all = deliveries();
        for (int i = 0; i < all.size(); i++) {
            all.get(i).drop(inbox, i, study(all.get(i)));
        }
        ssrf = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ssrf.createContext("/", exchange -> {
            SSRF_HITS.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        ssrf.start();
        System.out.printf("bad-input corpus: %d deliveries, %d FHIR requests%n", all.size(), requests().size());
    }

    @AfterAll
    static void stopTheListener() {
        if (ssrf != null) {
            ssrf.stop(0);
        }
    }

    @Value("${local.server.port}")
    int port;

    // ------------------------------------------------------------------------------------------------ deliveries

    @ParameterizedTest(name = "{0}")
    @MethodSource("deliveries")
    @Order(1)
    void aBadDeliveryIsReportedClearlyAndItsGoodPartLands(CorpusDelivery c) throws Exception {
        String study = study(c);
        AdapterHarness.Outcome outcome = new AdapterHarness(DATA, port).awaitOutcome(c.inboxName(deliveries().indexOf(c)), WAIT);
        String report = outcome.report();
        for (String area : c.values("area")) {
            assertThat(outcome.area()).as("area of %s; report:%n%s", c, report).isEqualTo(area);
        }
        for (String fragment : c.values("report")) {
            assertThat(report).as("report of %s", c).contains(fragment.replace("${STUDY}", study));
        }
        for (String fragment : c.values("no-report")) {
            assertThat(report).as("report of %s", c).doesNotContain(fragment.replace("${STUDY}", study));
        }
        assertThat(report).as("a reason in the report, never a stack trace or a Java class").doesNotContain("\tat ")
                .doesNotContainPattern("(java\\.(lang|util|io)|org\\.(apache|springframework|h2)|ca\\.uhn)\\.[A-Za-z.]*(Exception|Error)");
        List<String> lands = new ArrayList<>(c.values("lands"));
        if (c.withSibling()) {
            lands.add(CorpusGenerated.P1);
            lands.add(CorpusGenerated.P2);
        }
        lands = lands.stream().map(ref -> ref.replace("${STUDY}", study)).distinct().toList();
        for (String ref : lands) {
            assertThat(status("/fhir/" + ref)).as("%s of %s stored; report:%n%s", ref, c, report).isEqualTo(200);
        }
        for (String ref : c.values("absent")) {
            assertThat(status("/fhir/" + ref.replace("${STUDY}", study))).as("%s of %s not stored", ref, c).isEqualTo(404);
        }
        List<String> declared = c.values("patients");
        System.out.printf("corpus delivery %s -> %s: %s%n", c, outcome.area(), report.lines().skip(1).findFirst().orElse(""));
        PATIENTS.addAndGet(declared.isEmpty() ? (int) lands.stream().filter(r -> r.startsWith("Patient/")).count()
                : Integer.parseInt(declared.get(0)));
    }

    @Test
    @Order(2)
    void theSameBytesDeliveredAgainWriteNoNewVersion() throws Exception {
        byte[] zip = CorpusGenerated.zip(CorpusGenerated.entries("dm.csv", CorpusDelivery.substitute(CorpusGenerated.utf8(CorpusGenerated.DM), "BIRE1")));
        Path inbox = DATA.resolve("inbox");
        for (int attempt = 1; attempt <= 2; attempt++) {
            Path staging = inbox.resolve(".again.zip.partial");
            Files.write(staging, zip);
            Files.move(staging, inbox.resolve("again.zip"), StandardCopyOption.ATOMIC_MOVE);
            List<AdapterHarness.Outcome> outcomes = awaitReports("again.zip", attempt);
            assertThat(outcomes.get(attempt - 1).area()).isEqualTo("done");
            assertThat(outcomes.get(attempt - 1).report()).contains("OK - all 2 records stored");
            assertThat(get("/fhir/Patient/BIRE1-BIRE1-001").body()).contains("\"versionId\":\"1\"");
        }
        PATIENTS.addAndGet(2);
    }

    @Test
    @Order(3)
    void identicalDeliveriesDroppedTogetherLandOnceWithoutNewVersions() throws Exception {
        Path inbox = DATA.resolve("inbox");
        List<String> names = List.of("twin-a", "twin-b", "twin-c");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("dm.csv", CorpusGenerated.DM.replace("${STUDY}", "BITW1"));
        files.put("ae.csv", (CorpusGenerated.AE_HEADER + CorpusGenerated.aeRow(1, "Nausea")).replace("${STUDY}", "BITW1"));
        for (String n : names) {
            HostileInputs.folder(inbox, n, files);
        }
        for (String n : names) {
            AdapterHarness.Outcome o = new AdapterHarness(DATA, port).awaitOutcome(n, WAIT);
            assertThat(o.area()).as(o.report()).isEqualTo("done");
        }
        assertThat(get("/fhir/Patient/BITW1-BITW1-001").body()).contains("\"versionId\":\"1\"");
        assertThat(get("/fhir/AdverseEvent/BITW1-BITW1-001-AE-1").body()).contains("\"versionId\":\"1\"");
        assertThat(get("/fhir/AdverseEvent?subject=Patient/BITW1-BITW1-001&_summary=count").body()).contains("\"total\":1");
        PATIENTS.addAndGet(2);
    }

    // ------------------------------------------------------------------------------------------------ FHIR requests

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    @Order(4)
    void aBadRequestGetsAClearAnswerAndTheServerGoesOn(CorpusRequest c) throws Exception {
        String from = "127.0.8." + (1 + requests().indexOf(c) % 250);
        String ssrfBase = "http://127.0.0.1:" + ssrf.getAddress().getPort();
        String target = substitute(c.target(), ssrfBase);
        Map<String, String> headers = new LinkedHashMap<>();
        c.headers().forEach((k, v) -> headers.put(k, substitute(v, ssrfBase)));
        byte[] body = c.body();
        if (body != null) {
            body = new String(body, StandardCharsets.ISO_8859_1).replace("${SECRET_FILE}", DATA.resolve("secret.txt").toString())
                    .replace("${SSRF}", ssrfBase).getBytes(StandardCharsets.ISO_8859_1);
            if (body.length == 0 && !List.of("POST", "PUT", "PATCH").contains(c.method())) {
                body = null;
            }
        }
        long t0 = System.nanoTime();
        RawHttp.Response r = RawHttp.send(from, port, c.method(), target, headers, body);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String answer = r.status() + " " + r.body().substring(0, Math.min(600, r.body().length()));
        System.out.printf("corpus request %s -> %d in %.1f s%n", c, r.status(), seconds);
        assertThat(c.statuses()).as("status of %s (%.1f s): %s", c, seconds, answer).contains(r.status());
        for (String s : c.contains()) {
            assertThat(r.body()).as("answer of %s", c).contains(s);
        }
        for (String s : c.notContains()) {
            assertThat(r.body()).as("answer of %s", c).doesNotContain(substitute(s, ssrfBase));
        }
        assertThat(r.body()).as("answer of %s", c).doesNotContain(SECRET).doesNotContain("root:x:0:0")
                .doesNotContain("\tat ").doesNotContainPattern("at (org\\.celltrial|ca\\.uhn|org\\.springframework)\\.");
        if (r.status() >= 400 && r.status() != 404 && isFhir(r)) {
            assertThat(r.body()).as("refusal of %s", c).contains("OperationOutcome");
        }
        assertThat(RawHttp.get(from, port, "/fhir/Patient?_count=1").status()).as("a search after %s", c).isEqualTo(200);
    }

    private static boolean isFhir(RawHttp.Response r) {
        String type = r.header("Content-Type");
        return type != null && type.contains("fhir");
    }

    private static String substitute(String s, String ssrfBase) {
        return s.replace("${SECRET_FILE}", DATA.resolve("secret.txt").toString()).replace("${SECRET}", SECRET)
                .replace("${SSRF}", ssrfBase);
    }

    // ------------------------------------------------------------------------------------------------ the store after it

    @Test
    @Order(5)
    void afterTheCorpusTheStoreHoldsExactlyWhatLandedAndNothingLeaked(CapturedOutput output) throws Exception {
        assertThat(SSRF_HITS.get()).as("calls to URLs named in requests or deliveries").isZero();
        RawHttp.Response count = get("/fhir/Patient?_summary=count");
        assertThat(count.body()).as("Patients stored").containsPattern("\"total\":" + PATIENTS.get() + "[,}]");
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness").status()).isEqualTo(200);
        try (Stream<Path> s = Files.list(DATA.resolve("inbox/.processing"))) {
            assertThat(s.toList()).as("work area").isEmpty();
        }
        try (Stream<Path> s = Files.list(DATA.resolve("tmp/spool"))) {
            assertThat(s.toList()).as("spooled zip entries").isEmpty();
        }
        String log = output.getAll();
        assertThat(SUBJECT_ID.matcher(log).find()).as("a subject id in the log: %s",
                SUBJECT_ID.matcher(log).results().map(m -> m.group()).limit(3).toList()).isFalse();
        assertThat(log).as("the secret file's content in the log").doesNotContain(SECRET);
        System.out.printf("bad-input corpus: %d deliveries, %d FHIR requests, 2 repeated deliveries; %d Patients stored%n",
                deliveries().size(), requests().size(), PATIENTS.get());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private RawHttp.Response get(String target) throws IOException {
        return RawHttp.get("127.0.9.1", port, target);
    }

    private int status(String target) throws IOException {
        return get(target).status();
    }

    /** Waits until {@code n} reports of deliveries named {@code name} exist, oldest first. */
    private static List<AdapterHarness.Outcome> awaitReports(String name, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<Path> reports = new ArrayList<>();
            for (String area : List.of("done", "error")) {
                try (Stream<Path> s = Files.list(DATA.resolve(area))) {
                    s.filter(p -> p.getFileName().toString().endsWith("-" + name + ".report.txt")).forEach(reports::add);
                }
            }
            if (reports.size() >= n) {
                reports.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
                List<AdapterHarness.Outcome> out = new ArrayList<>();
                for (Path p : reports) {
                    out.add(new AdapterHarness.Outcome(p.getParent().getFileName().toString(), Files.readString(p)));
                }
                return out;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(n + " reports of " + name + " not there within " + WAIT);
    }
}
