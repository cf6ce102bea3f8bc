package org.celltrial.adapter.it;

import org.celltrial.adapter.bench.AdapterProcess;
import org.celltrial.adapter.bench.FhirExport;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The reproductions of issue 14 that took the default jar (H2, -Xmx1g, no JVM options) down, against the packaged
 * application run as its own process with its default limits:
 * <ol>
 *   <li>a 50 MB {@code $validate} body, declared and chunked: 413, and the server still answers;</li>
 *   <li>200 {@code ResearchSubject?_include=*&_revinclude=*&_count=500&_total=accurate}, 100 at a time: only 200, 4xx and
 *       503 answers (the wildcards are refused);</li>
 *   <li>the same search without wildcards (it runs: 1,000+ resources per page), 200 of them 100 at a time from one
 *       client and then from 100 clients (loopback addresses), while a delivery is ingested, then 400 cheap searches
 *       100 at a time from one client: only 200/429/503, and each 429/503 says when to retry;</li>
 *   <li>right after: the server answers normally, the delivery landed complete, no OutOfMemoryError, no stack trace
 *       and no subject id in the log; after a restart the stored content is exactly what it was;</li>
 *   <li>the body limit lifted, a 1.5 GB body does exhaust the heap: the process halts at once (exit code 3, one log
 *       line) instead of limping on, and after a restart the stored content is again exactly what it was.</li>
 * </ol>
 * Properties: {@code hostile.subjects} (200), {@code hostile.jvmArgs} ("-Xmx1g").
 */
class HostileLoadIT {

    private static final int SUBJECTS = Integer.getInteger("hostile.subjects", 200);
    private static final List<String> JVM_ARGS = List.of(System.getProperty("hostile.jvmArgs", "-Xmx1g").split("\\s+"));
    private static final Duration BOOT = Duration.ofMinutes(6);
    private static final String STUDY = "HOST-1";
    private static final Pattern USUBJID = Pattern.compile(STUDY + "-\\d\\d-\\d{5}|NKAML-P1-\\d\\d-\\d{3}");
    private static final String HEAVY = "/fhir/ResearchSubject?_include=ResearchSubject:individual&_include=ResearchSubject:study"
            + "&_revinclude=Provenance:target&_count=500&_total=accurate";
    private static final String WILDCARD = "/fhir/ResearchSubject?_include=*&_revinclude=*&_count=500&_total=accurate";

    private final Path work = workDir();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void hostileRequestsNeitherTakeTheServerDownNorLoseData() throws Exception {
        Path data = work.resolve("data");
        Path log = work.resolve("adapter.log");
        Path study = work.resolve("study");
        SyntheticStudyGenerator.Summary summary = SyntheticStudyGenerator.write(study, STUDY, SUBJECTS, 14);
        say("study %s; work folder %s", summary, work);
        int port = AdapterProcess.freePort();
        List<String> args = List.of("--celltrial.data-dir=" + data.toAbsolutePath(), "--celltrial.ingest.seed-demo-studies=false",
                "--celltrial.ingest.poll-interval-ms=200", "--celltrial.ingest.quiet-period-ms=300",
                "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath());
        AdapterProcess app = new AdapterProcess(AdapterProcess.jar(), port, JVM_ARGS, args, log).start();
        try {
            app.awaitReady(BOOT);
            drop(data, study, "hostile-study");
            assertThat(awaitReport(data, "hostile-study", Duration.ofMinutes(15))).contains("OK - all " + summary.records() + " records stored");
            long logFrom = Files.size(log);

            // 1. a 50 MB $validate body, declared and chunked
            RawHttp.Response declared = bigBody(port, "127.0.0.1", 50L << 20, false);
            assertThat(declared.status()).isEqualTo(413);
            assertThat(declared.body()).contains("OperationOutcome").contains("larger than 10 MiB");
            RawHttp.Response chunked = bigBody(port, "127.0.0.1", 50L << 20, true);
            assertThat(chunked.status()).isEqualTo(413);
            assertThat(get(port, "/fhir/Patient?_count=1").statusCode()).isEqualTo(200);

            // 2. the wildcard burst
            Map<Integer, Integer> wildcard = burst(200, 100, i -> RawHttp.get("127.0.0.1", port, WILDCARD));
            say("wildcard burst: %s", wildcard);
            assertThat(wildcard.keySet()).allMatch(s -> s == 200 || (s >= 400 && s < 500) || s == 503);
            assertThat(wildcard).containsKey(400);

            // 3. the heavy search from one client, then from 100, while a delivery is ingested
            drop(data, AdapterHarness.DEMO.resolve("nk-aml-haplo"), "during-load");
            long t0 = System.nanoTime();
            Map<Integer, Integer> oneClient = burst(200, 100, i -> checked(RawHttp.get("127.0.0.1", port, HEAVY)));
            say("heavy burst, one client: %s in %.1f s", oneClient, secs(t0));
            assertThat(oneClient.keySet()).isSubsetOf(200, 429, 503);
            assertThat(oneClient).containsKey(200);
            assertThat(oneClient.getOrDefault(429, 0) + oneClient.getOrDefault(503, 0)).as("refused").isPositive();
            t0 = System.nanoTime();
            Map<Integer, Integer> manyClients = burst(200, 100, i -> checked(RawHttp.get("127.0.1." + (1 + i % 100), port, HEAVY)));
            say("heavy burst, 100 clients: %s in %.1f s", manyClients, secs(t0));
            assertThat(manyClients.keySet()).isSubsetOf(200, 503);
            assertThat(manyClients).containsKeys(200, 503);

            // cheap requests, 100 at a time from one client: beyond its 16 in progress, 429
            t0 = System.nanoTime();
            Map<Integer, Integer> cheap = burst(400, 100, i -> checked(RawHttp.get("127.0.0.1", port, "/fhir/Patient?_count=1")));
            say("cheap burst, one client: %s in %.1f s", cheap, secs(t0));
            assertThat(cheap.keySet()).isSubsetOf(200, 429, 503);
            assertThat(cheap).containsKeys(200, 429);

            // a page never holds more than 500 matches, whatever _count asks
            HttpResponse<String> page = get(port, "/fhir/AdverseEvent?_count=100000&_elements=id");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(summary.ae()).isGreaterThan(500);
            assertThat(count(page.body(), "\"resourceType\":\"AdverseEvent\"")).isEqualTo(500);

            // 4. right after: normal answers, the delivery complete, a sound process and log
            t0 = System.nanoTime();
            assertThat(get(port, "/fhir/Patient?_count=1").statusCode()).isEqualTo(200);
            say("first answer after the bursts in %.2f s; %s", secs(t0), heap(app.pid()));
            assertThat(awaitReport(data, "during-load", Duration.ofMinutes(10))).contains("OK - all 61 records stored");
            assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(app.alive()).isTrue();
            String hostileLog = Files.readString(log).substring((int) logFrom);
            assertThat(hostileLog).doesNotContain("OutOfMemoryError").doesNotContain("Exception in thread");
            assertThat(hostileLog.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")).limit(5).toList())
                    .as("stack trace lines in the log").isEmpty();
            assertThat(hostileLog.lines().filter(l -> USUBJID.matcher(l).find() || l.contains("Patient/" + STUDY)).limit(5).toList())
                    .as("log lines with a subject id").isEmpty();
            assertThat(hostileLog).contains("-> 413").contains("-> 400").contains("-> 429").contains("-> 503");

            FhirExport.Content before = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES);
            assertThat(before.countByType()).containsEntry("Patient", summary.dm() + 5);
            app.stop();

            app = new AdapterProcess(AdapterProcess.jar(), port, JVM_ARGS, args, log).start();
            app.awaitReady(BOOT);
            FhirExport.Content afterRestart = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES);
            assertThat(FhirExport.differences(before, afterRestart, 20)).as("content after a restart").isEmpty();
            app.stop();

            // 5. without the body limit, a body larger than the heap: the process halts at once
            List<String> unlimited = new ArrayList<>(args);
            unlimited.add("--celltrial.limits.max-request-body=4GB");
            app = new AdapterProcess(AdapterProcess.jar(), port, JVM_ARGS, unlimited, log).start();
            app.awaitReady(BOOT);
            long oomFrom = Files.size(log);
            try {
                bigBody(port, "127.0.0.1", 1536L << 20, false);
            } catch (IOException expected) {
                // the process went away while the body was sent
            }
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (app.alive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(app.alive()).as("the process ended after the OutOfMemoryError").isFalse();
            assertThat(app.exitValue()).isEqualTo(3);
            String oomLog = Files.readString(log).substring((int) oomFrom);
            assertThat(oomLog).contains("FATAL OutOfMemoryError");
            say("halted: %s", oomLog.lines().filter(l -> l.contains("FATAL OutOfMemoryError")).findFirst().orElse(""));

            app = new AdapterProcess(AdapterProcess.jar(), port, JVM_ARGS, args, log).start();
            app.awaitReady(BOOT);
            FhirExport.Content afterHalt = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES);
            assertThat(FhirExport.differences(before, afterHalt, 20)).as("content after the halt and a restart").isEmpty();
        } finally {
            app.stop();
        }
    }

    /** POSTs {@code size} bytes to $validate (declared or chunked), sending in the background; returns the answer. */
    private static RawHttp.Response bigBody(int port, String from, long size, boolean chunked) throws Exception {
        try (RawHttp raw = RawHttp.connect(from, port)) {
            raw.head("POST", "/fhir/Patient/$validate", Map.of("Content-Type", "application/fhir+json"), size, chunked);
            ExecutorService sender = Executors.newSingleThreadExecutor();
            sender.submit(() -> {
                byte[] block = new byte[1 << 20];
                java.util.Arrays.fill(block, (byte) ' ');
                block[0] = '{';
                OutputStream out = raw.body();
                for (long sent = 0; sent < size; sent += block.length) {
                    if (chunked) {
                        raw.chunk(block);
                    } else {
                        out.write(block, 0, (int) Math.min(block.length, size - sent));
                    }
                    block[0] = ' ';
                }
                if (chunked) {
                    raw.endChunks();
                }
                return null;
            });
            try {
                return raw.read();
            } finally {
                sender.shutdownNow();
            }
        }
    }

    private interface Request {
        RawHttp.Response send(int i) throws Exception;
    }

    /** {@code total} requests, {@code parallel} at a time; returns how many got each status. */
    private static Map<Integer, Integer> burst(int total, int parallel, Request request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int n = i;
                answers.add(pool.submit((Callable<RawHttp.Response>) () -> request.send(n)));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<RawHttp.Response> f : answers) {
                byStatus.merge(f.get(5, TimeUnit.MINUTES).status(), 1, Integer::sum);
            }
            return byStatus;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A refusal must say when to retry and carry an OperationOutcome. */
    private static RawHttp.Response checked(RawHttp.Response r) {
        if (r.status() == 429 || r.status() == 503) {
            assertThat(r.header("Retry-After")).as("Retry-After of a " + r.status()).isNotBlank();
            assertThat(r.body()).contains("OperationOutcome").contains("throttled");
        }
        return r;
    }

    private HttpResponse<String> get(int port, String target) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + target)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void drop(Path data, Path source, String name) throws IOException {
        Path inbox = data.resolve("inbox");
        Path staging = inbox.resolve("." + name + ".partial");
        Files.createDirectories(staging);
        try (Stream<Path> s = Files.list(source)) {
            for (Path f : s.toList()) {
                Files.copy(f, staging.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(staging, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String awaitReport(Path data, String name, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String area : List.of("done", "error")) {
                Path dir = data.resolve(area);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().endsWith("-" + name + ".report.txt")) {
                            return area + "/\n" + Files.readString(p);
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        return fail("delivery " + name + " not processed within " + timeout);
    }

    private static String heap(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out.lines().filter(l -> l.contains("total") && l.contains("used")).findFirst().orElse(out.trim()).trim();
        } catch (IOException | InterruptedException e) {
            return "heap unknown (" + e + ")";
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static Path workDir() {
        try {
            return Files.createDirectories(Path.of("target", "hostile-it",
                    LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println("[HostileLoadIT] " + String.format(Locale.ROOT, format, args));
    }
}
