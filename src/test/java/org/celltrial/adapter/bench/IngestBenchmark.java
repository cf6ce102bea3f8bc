package org.celltrial.adapter.bench;

import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.celltrial.adapter.cli.StudyMapper;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.celltrial.adapter.mapping.MappedResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * End-to-end ingest throughput against the raw write rate of the same HAPI server (src/bench/ingest-benchmark.sh).
 *
 * <ol>
 *   <li>Generates a synthetic study of N subjects ({@link SyntheticStudyGenerator}).</li>
 *   <li>Ingest: starts the packaged adapter on a fresh database, drops the study into the inbox and times it until
 *       the delivery is in done/ (also from the moment it was claimed, which excludes the inbox quiet period).</li>
 *   <li>Raw: maps the same study in process with the real mapping engine, so the resources are identical, builds one
 *       FHIR transaction bundle per subject (PUT to the same ids, plus one for the ResearchStudy, sent first), starts the
 *       adapter again on another fresh database with REST writes allowed, and POSTs the bundles with T client threads.</li>
 * </ol>
 * Databases: {@code postgres} drops and creates {@code celltrial_bench_ingest} and {@code celltrial_bench_raw} on the
 * server of CELLTRIAL_TEST_PG_URL/USER/PASSWORD (defaults as the tests); {@code h2} uses fresh H2 files.
 * Both phases first take a warm-up study of bench.warmupSubjects subjects (1000; 0: none), not measured, as a running
 * server would have (JIT-compiled code, caches).
 * System properties: bench.threads (client threads of the raw phase, "4"; a list "1,4" measures each),
 * bench.seed (42), bench.jvmArgs ("-Xmx2g"), bench.jfr (true: JFR recording of both phases, settings=profile),
 * bench.phases ("ingest,raw"; one of them measures only that phase), bench.appArgs (extra adapter arguments, e.g.
 * "--celltrial.fhir.storage.mass-ingestion-mode=true", to compare settings), bench.format (csv, xpt, json or ndjson:
 * the file format both studies are delivered in, "csv"; the raw phase always maps the CSV, which holds the same
 * records, see {@link StudyFormat}).
 */
public final class IngestBenchmark {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final String PG_URL = env("CELLTRIAL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/celltrial_test");
    private static final String PG_USER = env("CELLTRIAL_TEST_PG_USER", "celltrial");
    private static final String PG_PASSWORD = env("CELLTRIAL_TEST_PG_PASSWORD", "celltrial");

    private final int subjects;
    private final String db;
    private final Path work;
    private final Path jar = AdapterProcess.jar();
    private final Path mappings = Path.of("mappings").toAbsolutePath();
    private final List<String> jvmArgs = Arrays.stream(System.getProperty("bench.jvmArgs", "-Xmx2g").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();
    private final boolean jfr = Boolean.getBoolean("bench.jfr");
    private final int warmupSubjects = Integer.getInteger("bench.warmupSubjects", 1000);
    private final List<String> phases = List.of(System.getProperty("bench.phases", "ingest,raw").split(","));
    private final StudyFormat format = StudyFormat.of(System.getProperty("bench.format", "csv"));
    private final List<String> appArgs = Arrays.stream(System.getProperty("bench.appArgs", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();

    private IngestBenchmark(int subjects, String db) throws IOException {
        this.subjects = subjects;
        this.db = db;
        this.work = Files.createDirectories(Path.of("target", "bench",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + db + "-" + subjects
                        + "-" + System.getProperty("bench.format", "csv").trim().toLowerCase(Locale.ROOT)).toAbsolutePath());
    }

    public static void main(String[] args) throws Exception {
        int subjects = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        String db = args.length > 1 ? args[1] : "postgres";
        if (!db.equals("postgres") && !db.equals("h2")) {
            throw new IllegalArgumentException("database must be h2 or postgres, not " + db);
        }
        new IngestBenchmark(subjects, db).run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path study = work.resolve("study");
        SyntheticStudyGenerator.Summary summary = SyntheticStudyGenerator.write(study, "BENCH-1", subjects,
                Long.getLong("bench.seed", 42));
        say("%s", summary);
        // a server runs for days: both phases first get a warm-up study (another study id, other values), so that
        // the JIT compiler, caches and connection pools are warm when the measured study arrives, as in steady state
        Path warmupStudy = work.resolve("warmup");
        int warmupResources = 0;
        if (warmupSubjects > 0) {
            SyntheticStudyGenerator.Summary warm = SyntheticStudyGenerator.write(warmupStudy, "WARM-1", warmupSubjects,
                    Long.getLong("bench.seed", 42) + 1);
            warmupResources = warm.resources();
            say("warm-up: %s (not measured)", warm);
        }
        // the ingest reads the study in the chosen format (written before the clock starts, like a sponsor's delivery);
        // the raw phase maps the CSV in process, the same records whatever the format
        Path delivery = study, warmupDelivery = warmupStudy;
        if (format != StudyFormat.CSV) {
            delivery = work.resolve("study-" + format.extension);
            format.convert(study, delivery);
            if (warmupSubjects > 0) {
                warmupDelivery = work.resolve("warmup-" + format.extension);
                format.convert(warmupStudy, warmupDelivery);
            }
        }
        say("format: %s (%s)", format.extension, delivery);
        // a rate only counts if every resource arrived: both servers must hold exactly the two studies' resources
        int expectedOnServer = summary.resources() + warmupResources;
        say("machine: %d cores, load %s; results and logs in %s", Runtime.getRuntime().availableProcessors(), load(), work);

        double ingestS = Double.NaN, processS = Double.NaN;
        CpuTimes cpu = null;
        String loadBefore = "-", loadAfter = "-";
        if (phases.contains("ingest")) {
            // 1. ingest end to end
            AdapterProcess app = start("ingest");
            app.awaitReady(Duration.ofMinutes(5));
            Path inbox = work.resolve("ingest-data/inbox");
            if (warmupSubjects > 0) {
                long w0 = System.nanoTime();
                drop(warmupDelivery, inbox, "warmup");
                Path warmReport;
                while ((warmReport = findReport(work.resolve("ingest-data"), "warmup")) == null) {
                    if (!app.alive()) throw new IllegalStateException("the application died; see " + app.log());
                    Thread.sleep(50);
                }
                say("warm-up delivery ingested in %.1f s (%s)", (System.nanoTime() - w0) / 1e9, warmReport.getParent().getFileName());
            }
            loadBefore = load();
            CpuTimes cpuBefore = CpuTimes.now(app.pid());
            long dropped = System.nanoTime();
            drop(delivery, inbox, "bench");
            long claimed = 0;
            Path report = null;
            while (report == null) {
                if (claimed == 0 && Files.exists(inbox.resolve(".processing/bench"))) {
                    claimed = System.nanoTime();
                }
                report = findReport(work.resolve("ingest-data"), "bench");
                if (!app.alive()) throw new IllegalStateException("the application died; see " + app.log());
                if (report == null) Thread.sleep(20);
            }
            long finished = System.nanoTime();
            cpu = CpuTimes.now(app.pid()).since(cpuBefore);
            if (claimed == 0) claimed = dropped;
            loadAfter = load();
            String text = Files.readString(report);
            if (!report.getParent().getFileName().toString().equals("done")) {
                throw new IllegalStateException("the delivery was not stored completely:\n" + text);
            }
            int stored = FhirExport.serverCounts(app.fhirBase(), FhirExport.INGESTED_TYPES).values().stream().mapToInt(i -> i).sum();
            requireCount("ingest", stored, expectedOnServer, app);
            app.stop();
            ingestS = (finished - dropped) / 1e9;
            processS = (finished - claimed) / 1e9;
            say("ingest: %d records, %d resources (%d on the server, warm-up included) in %.1f s from the drop (%.1f s from the claim); load %s -> %s",
                    summary.records(), summary.resources(), stored, ingestS, processS, loadBefore, loadAfter);
        }

        // 2. raw: the same resources as transaction bundles over HTTP
        StudyMapper.Result mapped = StudyMapper.map(study, mappings);
        if (!mapped.rejected().isEmpty()) throw new IllegalStateException("rejected: " + mapped.rejected());
        IParser parser = CTX.newJsonParser();
        String studyBundle = parser.encodeResourceToString(bundle(mapped.resources().studyLevel()));
        List<String> bundles = new ArrayList<>();
        for (List<MappedResource> group : mapped.resources().bySubject().values()) {
            bundles.add(parser.encodeResourceToString(bundle(group)));
        }
        int resources = mapped.resources().size();
        List<String> warmupBundles = new ArrayList<>();
        if (warmupSubjects > 0) {
            StudyMapper.Result warm = StudyMapper.map(warmupStudy, mappings);
            warmupBundles.add(parser.encodeResourceToString(bundle(warm.resources().studyLevel())));
            for (List<MappedResource> group : warm.resources().bySubject().values()) {
                warmupBundles.add(parser.encodeResourceToString(bundle(group)));
            }
        }
        List<String> rawLines = new ArrayList<>();
        for (String t : phases.contains("raw") ? System.getProperty("bench.threads", "4").split(",") : new String[0]) {
            int threads = Integer.parseInt(t.trim());
            AdapterProcess raw = start("raw-" + threads);
            raw.awaitReady(Duration.ofMinutes(5));
            if (!warmupBundles.isEmpty()) {
                long w0 = System.nanoTime();
                post(http(), raw.fhirBase(), warmupBundles.get(0));
                postAll(raw.fhirBase(), warmupBundles.subList(1, warmupBundles.size()), threads);
                say("warm-up bundles posted in %.1f s", (System.nanoTime() - w0) / 1e9);
            }
            String before = load();
            long r0 = System.nanoTime();
            post(http(), raw.fhirBase(), studyBundle);
            postAll(raw.fhirBase(), bundles, threads);
            double rawS = (System.nanoTime() - r0) / 1e9;
            String after = load();
            int rawStored = FhirExport.serverCounts(raw.fhirBase(), FhirExport.INGESTED_TYPES).values().stream().mapToInt(i -> i).sum();
            requireCount("raw", rawStored, expectedOnServer, raw);
            raw.stop();
            say("raw (%d client threads): %d bundles, %d resources (%d on the server, warm-up included) in %.1f s; load %s -> %s",
                    threads, bundles.size() + 1, resources, rawStored, rawS, before, after);
            rawLines.add(String.format(Locale.ROOT, "| raw HTTP transactions, %d client threads | %.1f s | - | %.0f | load %s -> %s |",
                    threads, rawS, resources / rawS, before, after));
            rawLines.add(String.format(Locale.ROOT, "| ratio ingest / raw (%d threads) | | | %.2f | |", threads,
                    (summary.resources() / ingestS) / (resources / rawS)));
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "## %s, %s, %d subjects: %d records, %d resources%n", db, format.extension, subjects,
                summary.records(), summary.resources());
        System.out.println("| measurement | time | records/s | resources/s | note |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| ingest, drop to done/ | %.1f s | %.0f | %.0f | load %s -> %s |%n", ingestS,
                summary.records() / ingestS, summary.resources() / ingestS, loadBefore, loadAfter);
        System.out.printf(Locale.ROOT, "| ingest, claim to done/ | %.1f s | %.0f | %.0f | excludes quiet period and polling |%n", processS,
                summary.records() / processS, summary.resources() / processS);
        rawLines.forEach(System.out::println);
        if (phases.contains("ingest")) {
            // one line per run, to collect runs of several formats into one table
            System.out.printf(Locale.ROOT, "%nformat %s: %.0f rows/s (drop to done/), %.0f rows/s (claim to done/), %d rows; load %s -> %s%n",
                    format.extension, summary.records() / ingestS, summary.records() / processS, summary.records(),
                    loadBefore, loadAfter);
        }
        if (cpu != null) {
            // CPU per resource moves less than the rate between runs on a shared VM: compare changes by it too
            System.out.printf(Locale.ROOT, "%nCPU during the ingest (drop to done/): adapter JVM %.1f s, PostgreSQL %.1f s, "
                            + "machine %.1f s busy of %.1f s; per resource: adapter %.3f ms, PostgreSQL %.3f ms, machine %.3f ms%n",
                    cpu.adapterS(), cpu.postgresS(), cpu.machineBusyS(), cpu.machineTotalS(),
                    1000 * cpu.adapterS() / summary.resources(), 1000 * cpu.postgresS() / summary.resources(),
                    1000 * cpu.machineBusyS() / summary.resources());
        }
        if (jfr) {
            say("JFR recordings: %s/*.jfr (jfr print --events jdk.ExecutionSample,jdk.ThreadCPULoad --stack-depth 200 <file.jfr>;"
                    + " thread CPU per thread name, samples per ingest-worker stack)", work);
        }
    }

    private AdapterProcess start(String phase) throws IOException, InterruptedException {
        Path data = work.resolve(phase + "-data");
        List<String> args = new ArrayList<>(List.of("--celltrial.data-dir=" + data, "--celltrial.ingest.seed-demo-studies=false",
                "--celltrial.ingest.poll-interval-ms=200", "--celltrial.ingest.quiet-period-ms=300",
                "--celltrial.ingest.mappings=" + mappings, "--celltrial.fhir.read-only=false"));
        if (db.equals("postgres")) {
            String name = "celltrial_bench_" + phase.replace('-', '_');
            args.addAll(List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + recreateDatabase(name),
                    "--spring.datasource.username=" + PG_USER, "--spring.datasource.password=" + PG_PASSWORD));
        } else {
            args.add("--spring.profiles.active=h2");
        }
        args.addAll(appArgs);
        List<String> jvm = new ArrayList<>(jvmArgs);
        if (jfr) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + work.resolve(phase + ".jfr"));
        }
        return new AdapterProcess(jar, AdapterProcess.freePort(), jvm, args, work.resolve(phase + ".log")).start();
    }

    /** One transaction: PUT of each resource to its id, referenced types first (as the adapter's writer orders them). */
    private static Bundle bundle(List<MappedResource> group) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        group.stream().map(MappedResource::resource)
                .sorted(org.celltrial.adapter.ingest.fhir.SubjectWriter.WRITE_ORDER)
                .forEach(r -> bundle.addEntry().setResource(r).getRequest()
                        .setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "/" + r.getIdElement().getIdPart()));
        return bundle;
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static void postAll(String base, List<String> bundles, int threads) throws Exception {
        HttpClient http = http();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            futures.add(pool.submit(() -> {
                for (int b; (b = next.getAndIncrement()) < bundles.size(); ) {
                    post(http, base, bundles.get(b));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
    }

    private static void post(HttpClient http, String base, String bundle) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(bundle)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("transaction answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(800, r.body().length())));
        }
    }

    private static void requireCount(String phase, int onServer, int expected, AdapterProcess app) throws InterruptedException {
        if (onServer != expected) {
            app.stop();
            throw new IllegalStateException(phase + ": the server holds " + onServer + " resources of the ingested types, "
                    + expected + " expected (study + warm-up); no rate is reported for an incomplete load");
        }
    }

    /** Copies a study into the inbox as delivery {@code name}, atomically (the adapter never sees half a delivery). */
    static void drop(Path study, Path inbox, String name) throws IOException {
        Path staging = inbox.resolve("." + name + ".partial");
        Files.createDirectories(staging);
        try (Stream<Path> s = Files.list(study)) {
            for (Path f : s.toList()) {
                Files.copy(f, staging.resolve(f.getFileName()));
            }
        }
        Files.move(staging, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static Path findReport(Path data, String name) throws IOException {
        for (String area : List.of("done", "error")) {
            Path dir = data.resolve(area);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                var found = s.filter(p -> p.getFileName().toString().endsWith("-" + name + ".report.txt")).findFirst();
                if (found.isPresent()) return found.get();
            }
        }
        return null;
    }

    static String recreateDatabase(String name) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + name);
                break;
            } catch (SQLException e) {
                // an autovacuum worker still on the previous run's database cannot be terminated by the owner: it ends soon
                if (attempt == 5) {
                    throw new IllegalStateException("PostgreSQL " + PG_URL + " (user " + PG_USER + "): " + e.getMessage(), e);
                }
                Thread.sleep(3000);
            }
        }
        int q = PG_URL.indexOf('?');
        String base = q < 0 ? PG_URL : PG_URL.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : PG_URL.substring(q));
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void say(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
