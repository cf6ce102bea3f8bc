package org.celltrial.adapter.bench;

import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Mixed load against the packaged adapter, all at once for a given time (src/bench/load-run.sh): searches (identifier,
 * study, includes, paging sizes), {@code Patient/$everything}, {@code $validate} of an AdverseEvent, and deliveries
 * (a new synthetic study dropped into the inbox as soon as the previous one is done). Prints per kind the requests,
 * answers by status, errors, p50/p99 latency, then the heap after the run, and checks that every delivered record
 * was stored (the reports) and is on the server (counts).
 *
 * <p>Errors are failed connections, 5xx other than 503, and 4xx other than 429 (a refusal with Retry-After, counted
 * as "refused", as 503s are). The adapter is started here (fresh H2 data folder) unless {@code load.url} names a
 * running one. System properties: load.seconds (300), load.url, load.inbox (the running adapter's inbox, for
 * deliveries), load.pid (for the heap figure), load.jvmArgs ("-Xmx1g"), load.seedSubjects (200), load.deliverySubjects
 * (20), load.searchWorkers (3), load.everythingWorkers (1), load.validateWorkers (1).
 */
public final class LoadRun {

    /** The outcome of a run, for the CI-short test. */
    public record Result(Map<String, Kind> kinds, int deliveries, int deliveredRecords, int storedRecords, List<String> problems,
                         String heapAfter) {
        public long errors() {
            return kinds.values().stream().mapToLong(k -> k.errors.get()).sum();
        }
    }

    /** Measurements of one kind of request. */
    public static final class Kind {
        final String name;
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());

        Kind(String name) {
            this.name = name;
        }

        void record(long startNanos, int status, String error) {
            micros.add((System.nanoTime() - startNanos) / 1000);
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status == 429 || status == 503) {
                refused.incrementAndGet();
            } else if (error != null || status >= 400) {
                errors.incrementAndGet();
                if (firstErrors.size() < 5) {
                    firstErrors.add(status + " " + (error == null ? "" : error));
                }
            }
        }

        public int errors() {
            return errors.get();
        }

        long percentile(double p) {
            List<Long> sorted;
            synchronized (micros) {
                sorted = new ArrayList<>(micros);
            }
            if (sorted.isEmpty()) {
                return 0;
            }
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }

        String line() {
            return String.format(Locale.ROOT, "%-11s %6d requests  p50 %7.1f ms  p99 %7.1f ms  errors %d  refused %d  %s", name,
                    micros.size(), percentile(0.50) / 1000.0, percentile(0.99) / 1000.0, errors.get(), refused.get(), new TreeMap<>(statuses));
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Path inbox;
    private final Path data;
    private final Duration duration;
    private final int deliverySubjects;
    private final Map<String, Kind> kinds = new TreeMap<>();
    private final List<String> patientIds = new ArrayList<>();
    private final List<String> studyIds = new ArrayList<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private String validateBody;
    private volatile boolean stop;

    LoadRun(String base, Path data, Duration duration, int deliverySubjects) {
        this.base = base;
        this.data = data;
        this.inbox = data.resolve("inbox");
        this.duration = duration;
        this.deliverySubjects = deliverySubjects;
        for (String k : List.of("search", "everything", "validate", "delivery")) {
            kinds.put(k, new Kind(k));
        }
    }

    public static void main(String[] args) throws Exception {
        Result r = run(Duration.ofSeconds(Long.getLong("load.seconds", 300)), System.getProperty("load.url"),
                System.getProperty("load.inbox"), Long.getLong("load.pid", -1));
        System.exit(r.errors() == 0 && r.problems().isEmpty() ? 0 : 1);
    }

    /** Starts an adapter unless {@code url} is given, runs the load, prints and returns the figures. */
    public static Result run(Duration duration, String url, String runningInbox, long pid) throws Exception {
        int seedSubjects = Integer.getInteger("load.seedSubjects", 200);
        int deliverySubjects = Integer.getInteger("load.deliverySubjects", 20);
        AdapterProcess app = null;
        Path work = Files.createDirectories(Path.of("target", "load-run",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath());
        Path data;
        String base;
        try {
            if (url == null || url.isBlank()) {
                data = work.resolve("data");
                List<String> jvm = Arrays.stream(System.getProperty("load.jvmArgs", "-Xmx1g").split("\\s+")).filter(s -> !s.isBlank()).toList();
                app = new AdapterProcess(AdapterProcess.jar(), AdapterProcess.freePort(), jvm,
                        List.of("--celltrial.data-dir=" + data, "--celltrial.ingest.poll-interval-ms=200",
                                "--celltrial.ingest.quiet-period-ms=300", "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath()),
                        work.resolve("adapter.log")).start();
                app.awaitReady(Duration.ofMinutes(6));
                base = "http://localhost:" + app.port();
                pid = app.pid();
                say("adapter started (%s, %s), log %s", String.join(" ", jvm), data, app.log());
            } else {
                base = url.replaceAll("/+$", "");
                data = runningInbox == null ? null : Path.of(runningInbox).toAbsolutePath().getParent();
            }
            LoadRun load = new LoadRun(base, data, duration, deliverySubjects);
            if (data != null && seedSubjects > 0) {
                load.seed(work, seedSubjects);
            }
            return load.go(work, pid);
        } finally {
            if (app != null) {
                app.stop();
            }
        }
    }

    /** A first study (and the demo studies the adapter seeds itself) so that searches find something. */
    private void seed(Path work, int subjects) throws Exception {
        long t0 = System.nanoTime();
        Path study = work.resolve("seed");
        SyntheticStudyGenerator.Summary s = SyntheticStudyGenerator.write(study, "LOADSEED", subjects, 1);
        String report = deliver(study, "load-seed");
        if (!report.contains("OK - all " + s.records() + " records stored")) {
            problems.add("seed delivery: " + firstLines(report));
        }
        say("seeded %s in %.1f s", s, (System.nanoTime() - t0) / 1e9);
    }

    private Result go(Path work, long pid) throws Exception {
        loadIds();
        String heapBefore = pid > 0 ? heap(pid, true) : "(no pid)";
        say("load: %d s of searches, $everything, $validate%s against %s (%d patients, %d studies)", duration.toSeconds(),
                data == null ? "" : " and deliveries", base, patientIds.size(), studyIds.size());
        int searchWorkers = Integer.getInteger("load.searchWorkers", 3);
        int everythingWorkers = Integer.getInteger("load.everythingWorkers", 1);
        int validateWorkers = Integer.getInteger("load.validateWorkers", 1);
        ExecutorService pool = Executors.newFixedThreadPool(searchWorkers + everythingWorkers + validateWorkers + 1);
        List<Future<?>> workers = new ArrayList<>();
        long seed = 7;
        for (int i = 0; i < searchWorkers; i++) workers.add(pool.submit(loop(new Random(seed++), this::search)));
        for (int i = 0; i < everythingWorkers; i++) workers.add(pool.submit(loop(new Random(seed++), this::everything)));
        for (int i = 0; i < validateWorkers; i++) workers.add(pool.submit(loop(new Random(seed++), this::validate)));
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        if (data != null) {
            workers.add(pool.submit(() -> {
                int n = 0;
                while (!stop) {
                    n++;
                    String name = "load-" + n;
                    long t0 = System.nanoTime();
                    try {
                        Path study = work.resolve(name);
                        SyntheticStudyGenerator.Summary s = SyntheticStudyGenerator.write(study, "LOAD" + n, deliverySubjects, 100 + n);
                        String report = deliver(study, name);
                        deliveries.incrementAndGet();
                        delivered.addAndGet(s.records());
                        Matcher m = Pattern.compile("(\\d+) of (\\d+) records stored|all (\\d+) records stored").matcher(report);
                        int ok = !m.find() ? 0 : m.group(3) != null ? Integer.parseInt(m.group(3)) : Integer.parseInt(m.group(1));
                        stored.addAndGet(ok);
                        kinds.get("delivery").record(t0, report.startsWith("done") && ok == s.records() ? 200 : 500,
                                ok == s.records() ? null : firstLines(report));
                    } catch (Exception e) {
                        kinds.get("delivery").record(t0, 0, e.toString());
                    }
                }
                return null;
            }));
        }
        long peakUsedKb = 0;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            if (pid > 0) {
                peakUsedKb = Math.max(peakUsedKb, usedKb(heap(pid, false)));
            }
        }
        stop = true;
        for (Future<?> f : workers) {
            f.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();

        String heap = pid > 0 ? "peak used " + peakUsedKb / 1024 + " MiB (sampled every 5 s); after a full GC: " + heap(pid, true)
                : "(no pid)";
        if (data != null) {
            int expectedPatients = patientsExpected();
            int onServer = count("Patient");
            if (onServer != expectedPatients) {
                problems.add("Patients on the server: " + onServer + ", expected " + expectedPatients);
            }
            if (stored.get() != delivered.get()) {
                problems.add("records stored " + stored.get() + " of " + delivered.get() + " delivered");
            }
        }
        say("results after %d s (%d cores, load %s):", duration.toSeconds(), Runtime.getRuntime().availableProcessors(), load());
        for (Kind k : kinds.values()) {
            System.out.println("  " + k.line());
            for (String e : k.firstErrors) {
                System.out.println("      e.g. " + e);
            }
        }
        if (data != null) {
            say("deliveries: %d complete, %d of %d records stored (lost %d)", deliveries.get(), stored.get(), delivered.get(),
                    delivered.get() - stored.get());
        }
        say("heap before the load, after a full GC: %s", heapBefore);
        say("heap during and after: %s", heap);
        say("%s", problems.isEmpty() ? "no problems" : "PROBLEMS: " + problems);
        return new Result(kinds, deliveries.get(), delivered.get(), stored.get(), List.copyOf(problems), heap);
    }

    private interface Step {
        void run(Random rnd) throws Exception;
    }

    private java.util.concurrent.Callable<Void> loop(Random rnd, Step step) {
        return () -> {
            while (!stop) {
                step.run(rnd);
            }
            return null;
        };
    }

    private void search(Random rnd) {
        String patient = pick(rnd, patientIds);
        String study = pick(rnd, studyIds);
        String target = switch (rnd.nextInt(6)) {
            case 0 -> "/fhir/Patient?_id=" + patient;
            case 1 -> "/fhir/AdverseEvent?study=ResearchStudy/" + study + "&_count=50";
            case 2 -> "/fhir/ResearchSubject?study=ResearchStudy/" + study + "&_include=ResearchSubject:individual&_count=100";
            case 3 -> "/fhir/Observation?patient=Patient/" + patient;
            case 4 -> "/fhir/Procedure?patient=Patient/" + patient + "&_total=accurate";
            default -> "/fhir/MedicationAdministration?_count=200";
        };
        request(kinds.get("search"), HttpRequest.newBuilder(URI.create(base + target)).GET());
    }

    private void everything(Random rnd) {
        request(kinds.get("everything"), HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/" + pick(rnd, patientIds)
                + "/$everything?_count=100")).GET());
    }

    private void validate(Random rnd) {
        request(kinds.get("validate"), HttpRequest.newBuilder(URI.create(base + "/fhir/AdverseEvent/$validate"))
                .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(validateBody)));
    }

    private void request(Kind kind, HttpRequest.Builder b) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
            kind.record(t0, r.statusCode(), r.statusCode() >= 400 ? new String(r.body(), StandardCharsets.UTF_8)
                    .replaceAll("\\s+", " ").substring(0, Math.min(200, r.body().length)) : null);
            if (r.statusCode() == 429 || r.statusCode() == 503) {
                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
            }
        } catch (IOException e) {
            kind.record(t0, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = true;
        }
    }

    private void loadIds() throws Exception {
        for (String id : ids("/fhir/Patient?_count=500&_elements=id", "Patient")) patientIds.add(id);
        for (String id : ids("/fhir/ResearchStudy?_count=100&_elements=id", "ResearchStudy")) studyIds.add(id);
        if (patientIds.isEmpty() || studyIds.isEmpty()) {
            throw new IllegalStateException("no patients or studies on " + base + ": deliver a study first");
        }
        String everything = get("/fhir/Patient/" + patientIds.get(0) + "/$everything?_count=100");
        Matcher ae = Pattern.compile("\"resource\":(\\{\"resourceType\":\"AdverseEvent\".*?\\}),\"search\"").matcher(everything);
        validateBody = ae.find() ? ae.group(1) : "{\"resourceType\":\"AdverseEvent\",\"actuality\":\"actual\",\"subject\":"
                + "{\"reference\":\"Patient/" + patientIds.get(0) + "\"}}";
    }

    private List<String> ids(String target, String type) throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"resourceType\":\"" + type + "\",\"id\":\"([^\"]+)\"").matcher(get(target));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private int count(String type) throws Exception {
        Matcher m = Pattern.compile("\"total\":(\\d+)").matcher(get("/fhir/" + type + "?_summary=count"));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Patients the reports say were stored: the DM rows of every delivery in done/. */
    private int patientsExpected() throws IOException {
        int n = 0;
        for (String area : List.of("done", "error")) {
            Path dir = data.resolve(area);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(Files::isDirectory).toList()) {
                    try (Stream<Path> f = Files.walk(p)) {
                        for (Path dm : f.filter(x -> x.getFileName().toString().equalsIgnoreCase("dm.csv")).toList()) {
                            n += (int) Files.readAllLines(dm).stream().filter(l -> !l.isBlank()).count() - 1;
                        }
                    }
                }
            }
        }
        return n;
    }

    private String get(String target) throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if ((r.statusCode() == 429 || r.statusCode() == 503) && attempt < 30) {
                Thread.sleep(1000);
                continue;
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException(target + " -> " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }
    }

    private String deliver(Path study, String name) throws IOException, InterruptedException {
        Path staging = inbox.resolve("." + name + ".partial");
        Files.createDirectories(staging);
        try (Stream<Path> s = Files.list(study)) {
            for (Path f : s.toList()) {
                Files.copy(f, staging.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(staging, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (String area : List.of("done", "error")) {
                Path dir = data.resolve(area);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().endsWith("-" + name + ".report.txt")) {
                            return area + "\n" + Files.readString(p);
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("delivery " + name + " not processed within 15 min");
    }

    /** The JVM's heap line (jcmd GC.heap_info), optionally after a full GC (then "used" is the live data). */
    static String heap(long pid, boolean afterGc) {
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            if (afterGc) {
                new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
            }
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out.lines().map(String::trim).filter(l -> l.contains("total") && l.contains("used")).findFirst().orElse(out.trim());
        } catch (IOException | InterruptedException e) {
            return "unknown (" + e + ")";
        }
    }

    private static long usedKb(String heapLine) {
        Matcher m = Pattern.compile("used (\\d+)K").matcher(heapLine);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String pick(Random rnd, List<String> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private static String firstLines(String report) {
        return report.lines().limit(4).reduce((a, b) -> a + " / " + b).orElse("");
    }

    private static void say(String format, Object... args) {
        System.out.println("[load] " + String.format(Locale.ROOT, format, args));
    }
}
