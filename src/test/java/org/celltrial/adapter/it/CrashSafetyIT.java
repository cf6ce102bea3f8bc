package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.bench.AdapterProcess;
import org.celltrial.adapter.bench.FhirExport;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Crash and reopen (issue 14): the packaged application, run as its own process on H2 and on PostgreSQL, ingests a
 * synthetic study while a few clients send expensive searches without pause, and is crashed again and again in the
 * middle of it: by SIGKILL, and by an OutOfMemoryError (a request body larger than the heap, the body limit lifted
 * for this test; the JVM must end at once with exit code 3). After each crash it is started again on the same data
 * folder and database: the database must open, the interrupted delivery is taken up again, and when it has landed in
 * done/ the store must equal that of a clean run without crashes.
 *
 * <p><b>"Equals a clean run"</b> means: (1) every resource of the ingested types and every Provenance, read over FHIR
 * and compared as canonical JSON without meta.versionId, meta.lastUpdated, meta.source and Provenance.recorded (the
 * server's bookkeeping of when a write happened; versions are compared separately through the row counts); nothing
 * missing, nothing extra, nothing returned twice; (2) the server's own counts; (3) the rows per resource type in
 * HAPI's resource, version, tag, link and search-index tables (so no version, index row or link was written twice or
 * lost); (4) the message store: no record twice within an attempt, no attempt left "processing", the records of the
 * finishing attempt (file, row, status, content hash) and the resource index (ref, source hash, current) as in the
 * clean run. Interrupted attempts stay listed as "interrupted" with what they had done: history, not duplicates.
 * The clean run is made once, on H2; the PostgreSQL run is compared with it too (the content must not depend on the
 * database).
 *
 * <p>On H2 the test also takes an online backup ({@code POST /api/admin/backup}) in the middle of the first attempt,
 * restores it into a new data folder after the kills, checks that the restored database opens and holds whole subjects
 * only (each subject's resources and Provenance all there with the clean run's content, or none of them), delivers
 * the study again and checks the result equals the clean run.
 *
 * <p>Kill points are seeded ({@code -Dcrash.seed}, printed) and driven by progress: kill k comes once the running
 * attempt has stored a random share (10-75 %, ascending) of the records, plus 0-400 ms. Properties:
 * {@code crash.databases} ("h2,postgres"), {@code crash.kills} (2 per database: SIGKILL, OOM, SIGKILL, OOM...),
 * {@code crash.subjects} (150), {@code crash.seed}, {@code crash.jvmArgs} ("-Xmx1g"), {@code crash.searchClients} (3).
 * H2 runs without {@code -XX:+ExitOnOutOfMemoryError} (the adapter's own halt must do: issue 14's corruption was an
 * OutOfMemoryError inside H2), PostgreSQL with it (as README recommends). Longer runs: src/bench/crash-soak.sh.
 */
class CrashSafetyIT {

    private static final List<String> DATABASES = Arrays.stream(System.getProperty("crash.databases", "h2,postgres").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).toList();
    private static final int KILLS = Integer.getInteger("crash.kills", 2);
    private static final int SUBJECTS = Integer.getInteger("crash.subjects", 150);
    private static final int SEARCH_CLIENTS = Integer.getInteger("crash.searchClients", 3);
    private static final long SEED = Long.getLong("crash.seed", System.currentTimeMillis() % 1_000_000);
    private static final List<String> JVM_ARGS = Arrays.stream(System.getProperty("crash.jvmArgs", "-Xmx1g").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();
    /** Larger than any heap the test runs with: the request that runs the adapter out of memory. */
    private static final long OOM_BODY = Long.getLong("crash.oomBody", 3L << 30);
    private static final String DELIVERY = "crash-study";
    /** Generous: on a 2-core machine shared with other builds a start took over 5 min. */
    private static final Duration BOOT = Duration.ofMinutes(Integer.getInteger("crash.bootMinutes", 10));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path work = newWorkDir();

    /** The content and tables of a finished run. */
    private record Snapshot(FhirExport.Content content, Map<String, Integer> serverCounts, Map<String, Map<String, Long>> rows,
                            StoreTables.MessageStoreFacts store) {
    }

    @Test
    void crashedIngestUnderSearchLoadEndsWithTheContentOfACleanRun() throws Exception {
        long t0 = System.nanoTime();
        Path study = work.resolve("study");
        SyntheticStudyGenerator.Summary summary = SyntheticStudyGenerator.write(study, "CRASH-1", SUBJECTS, 4711);
        say("seed %d (-Dcrash.seed=%d repeats the kill points), databases %s, %d kills each, %d search clients; %s; work folder %s",
                SEED, SEED, DATABASES, KILLS, SEARCH_CLIENTS, summary, work);

        // (a) the clean run, on H2, without searches
        Run clean = new Run("clean", Db.h2(work.resolve("clean-data")), false);
        AdapterProcess app = clean.boot();
        clean.drop(study);
        String cleanReport = clean.awaitReport(Duration.ofMinutes(15));
        Snapshot expected = clean.snapshotAndStop(app);
        assertThat(cleanReport).contains("Outcome: OK - all " + summary.records() + " records stored");
        assertThat(expected.content().countByType()).containsEntry("Patient", summary.dm()).containsEntry("AdverseEvent", summary.ae())
                .containsEntry("Provenance", summary.dm() + 1);
        assertThat(expected.serverCounts()).isEqualTo(expected.content().countByType());
        assertThat(expected.store().duplicateRecords()).isEmpty();
        assertThat(expected.store().finalRecords()).hasSize(summary.records());
        say("clean run: %d resources %s in %.0f s", expected.content().resources().size(), expected.content().countByType(), secs(t0));

        Random rnd = new Random(SEED);
        for (String database : DATABASES) {
            crashRun(database, study, summary, expected, rnd);
        }
        say("crash safety: OK on %s, %.0f s in all", DATABASES, secs(t0));
    }

    private void crashRun(String database, Path study, SyntheticStudyGenerator.Summary summary, Snapshot expected, Random rnd)
            throws Exception {
        long t0 = System.nanoTime();
        boolean h2 = database.equals("h2");
        Db db = h2 ? Db.h2(work.resolve("h2-kill-data")) : Db.postgres("celltrial_crash_kill");
        Run run = new Run(database + "-kill", db, true);
        double[] shares = new double[KILLS];
        for (int k = 0; k < KILLS; k++) {
            // at most 60 %: an OutOfMemoryError takes seconds to provoke (a 3 GiB body into a 1 GiB heap), in which the
            // delivery must not finish (a run with a kill at 74 % saw the last 745 records stored before the halt)
            shares[k] = 0.10 + rnd.nextDouble() * 0.50;
        }
        Arrays.sort(shares);
        List<String> kills = new ArrayList<>();
        Path backup = null;
        AdapterProcess app = null;
        try (SearchLoad searches = new SearchLoad(SEARCH_CLIENTS, run::port)) {
            for (int k = 0; k < KILLS; k++) {
                boolean oom = k % 2 == 1;
                long target = Math.round(shares[k] * summary.records());
                long jitter = rnd.nextInt(400);
                long b0 = System.nanoTime();
                app = run.boot();
                if (k == 0) {
                    run.drop(study);
                }
                if (h2 && k == 0) {
                    awaitStored(run, app, Math.max(1, target / 2), k);
                    backup = run.backup();
                    say("%s: online backup at %d stored records: %s", database, run.storedRecords(), backup.getFileName());
                }
                awaitStored(run, app, target, k);
                Thread.sleep(jitter);
                long before = run.storedRecords();
                int exit = oom ? outOfMemory(app) : app.kill();
                boolean mid = run.claimed() && run.report() == null;
                String line = String.format(Locale.ROOT, "%s kill %d (%s): %.1f s after start, target %d records + %d ms, %d of %d"
                                + " records stored by this attempt, exit %d, %s", database, k + 1, oom ? "OutOfMemoryError" : "SIGKILL",
                        secs(b0), target, jitter, before, summary.records(), exit, mid ? "mid-delivery" : "AFTER the delivery finished");
                kills.add(line);
                say("%s", line);
                assertThat(exit).as("exit code after %s", oom ? "the OutOfMemoryError (halt)" : "SIGKILL").isEqualTo(oom ? 3 : 137);
                assertThat(mid).as("kill %d landed while the delivery was being processed", k + 1).isTrue();
            }
            app = run.boot();
            String report = run.awaitReport(Duration.ofMinutes(15));
            assertThat(report).contains("Outcome: OK - all " + summary.records() + " records stored");
            Map<Integer, Integer> answers = searches.statuses();
            say("%s: searches during the run, by status (0: no process listening): %s", database, answers);
            assertThat(answers.keySet()).as("search answers").isSubsetOf(0, 200, 429, 503);
            assertThat(answers).containsKey(200);
        }
        Snapshot actual = run.snapshotAndStop(app);
        say("%s: %d crashes, delivered after %.0f s; versions %s; attempts %s", database, KILLS, secs(t0),
                actual.content().versions().values().stream().collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting())),
                actual.store().attemptsByOutcome());
        assertSameAsClean(database + " after " + KILLS + " crashes", expected, actual);
        assertThat(run.leftovers()).as("deliveries left in inbox/, inbox/.processing/ or error/").isEmpty();
        assertThat(actual.store().attemptsByOutcome()).containsEntry("interrupted", (long) KILLS);
        if (backup != null) {
            restoreBackup(backup, study, summary, expected);
        }
    }

    /** The backup taken mid-ingest, restored into a new data folder: it opens, holds whole subjects, re-delivery completes it. */
    private void restoreBackup(Path backup, Path study, SyntheticStudyGenerator.Summary summary, Snapshot expected) throws Exception {
        Path data = work.resolve("h2-restored-data");
        List<String> entries = unzip(backup, data.resolve("db"));
        say("restore: %s -> %s", entries, data.resolve("db"));
        assertThat(entries).contains("celltrial.mv.db");
        Run restored = new Run("h2-restored", Db.h2(data), false);
        AdapterProcess app = restored.boot();
        FhirExport.Content partial = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES_AND_PROVENANCE);
        List<String> problems = wholeSubjectsOnly(expected.content(), partial);
        say("restore: the backup holds %d of %d resources %s; %d problems", partial.resources().size(),
                expected.content().resources().size(), partial.countByType(), problems.size());
        assertThat(problems).as("restored backup: every resource as in the clean run, whole subjects only").isEmpty();
        restored.drop(study);
        assertThat(restored.awaitReport(Duration.ofMinutes(15))).contains("Outcome: OK - all " + summary.records() + " records stored");
        Snapshot completed = restored.snapshotAndStop(app);
        assertThat(FhirExport.differences(expected.content(), completed.content(), 20))
                .as("restored backup + re-delivery vs the clean run").isEmpty();
        assertThat(completed.store().duplicateRecords()).isEmpty();
        assertThat(completed.store().unfinishedAttempts()).isEmpty();
    }

    /** Problems of a partial store: resources not as in the clean run, subjects (Provenance and targets) half there. */
    static List<String> wholeSubjectsOnly(FhirExport.Content clean, FhirExport.Content partial) {
        List<String> problems = new ArrayList<>();
        partial.resources().forEach((ref, json) -> {
            if (!json.equals(clean.resources().get(ref))) {
                problems.add(ref + " differs from the clean run");
            }
        });
        ca.uhn.fhir.parser.IParser parser = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
        clean.resources().forEach((ref, json) -> {
            if (!ref.startsWith("Provenance/")) {
                return;
            }
            org.hl7.fhir.r4.model.Provenance p = parser.parseResource(org.hl7.fhir.r4.model.Provenance.class, json);
            boolean present = partial.resources().containsKey(ref);
            for (org.hl7.fhir.r4.model.Reference t : p.getTarget()) {
                if (partial.resources().containsKey(t.getReference()) != present) {
                    problems.add(ref + (present ? " is there but its target " : " is missing but its target ") + t.getReference()
                            + (present ? " is missing" : " is there"));
                }
            }
        });
        return problems;
    }

    private static void assertSameAsClean(String what, Snapshot expected, Snapshot actual) {
        assertThat(FhirExport.differences(expected.content(), actual.content(), 20)).as("FHIR content, %s, vs the clean run", what).isEmpty();
        assertThat(actual.serverCounts()).as("server counts, %s", what).isEqualTo(expected.serverCounts());
        assertThat(actual.rows()).as("rows per resource type in HAPI's tables, %s", what).isEqualTo(expected.rows());
        assertThat(actual.store().duplicateRecords()).as("records twice in one attempt, %s", what).isEmpty();
        assertThat(actual.store().unfinishedAttempts()).as("attempts left 'processing', %s", what).isEmpty();
        assertThat(actual.store().finalRecords()).as("records of the finishing attempt, %s", what).isEqualTo(expected.store().finalRecords());
        assertThat(actual.store().resources()).as("message store resource index, %s", what).isEqualTo(expected.store().resources());
    }

    private static void awaitStored(Run run, AdapterProcess app, long target, int k) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!(run.claimed() && run.storedRecords() >= target)) {
            if (!app.alive()) fail("the application died on its own before crash " + (k + 1) + "; see " + app.log());
            if (run.report() != null) fail("the delivery finished before crash " + (k + 1) + " (target " + target
                    + " records): use more subjects (-Dcrash.subjects)");
            if (System.nanoTime() > deadline) fail("no progress to " + target + " stored records within 10 min; see " + app.log());
            Thread.sleep(20);
        }
    }

    /**
     * Sends a request body larger than the heap to $validate and waits for the process to end; returns its exit code.
     * Sent again if the server answered without reading it (503 when the expensive-request slots are all taken).
     */
    private static int outOfMemory(AdapterProcess app) throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            for (int attempt = 1; attempt <= 10 && app.alive(); attempt++) {
                java.util.concurrent.Future<?> sent = sender.submit(() -> {
                    try (RawHttp raw = RawHttp.connect("127.0.0.1", app.port())) {
                        raw.head("POST", "/fhir/Patient/$validate", Map.of("Content-Type", "application/fhir+json"), OOM_BODY, false);
                        byte[] block = new byte[1 << 20];
                        Arrays.fill(block, (byte) ' ');
                        block[0] = '{';
                        OutputStream out = raw.body();
                        for (long n = 0; n < OOM_BODY; n += block.length) {
                            out.write(block, 0, (int) Math.min(block.length, OOM_BODY - n));
                            block[0] = ' ';
                        }
                        out.flush();
                        return raw.read().status();
                    }
                });
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (app.alive() && !sent.isDone() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long grace = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (app.alive() && System.nanoTime() < grace) {
                    Thread.sleep(20);   // the request may have failed a moment before the process ended
                }
                if (app.alive()) {
                    Object answer;
                    try {
                        answer = sent.get(1, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (Exception e) {
                        answer = e.toString();
                    }
                    say("the out-of-memory request was answered (%s) and the process lives: sending it again", answer);
                    Thread.sleep(500);
                }
            }
            if (app.alive()) {
                app.kill();
                fail("the process did not end after requests larger than its heap; see " + app.log());
            }
            return app.exitValue();
        } finally {
            sender.shutdownNow();
        }
    }

    private static List<String> unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        List<String> names = new ArrayList<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                assertThat(target.startsWith(into)).as("zip entry %s inside %s", e.getName(), into).isTrue();
                Files.copy(z, target);
                names.add(e.getName());
            }
        }
        return names;
    }

    /** Where a run keeps its data: an H2 file under its data folder, or a PostgreSQL database of its own. */
    private record Db(Path data, String url, String user, String password, boolean h2) {
        static Db h2(Path data) {
            return new Db(data, "jdbc:h2:file:" + data.toAbsolutePath().resolve("db/celltrial") + ";IFEXISTS=TRUE", "sa", "", true);
        }

        static Db postgres(String name) {
            return new Db(null, recreateDatabase(name), TestPostgres.USER, TestPostgres.PASSWORD, false);
        }

        List<String> appArgs(Path data) {
            if (h2) {
                return List.of();
            }
            return List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + url,
                    "--spring.datasource.username=" + user, "--spring.datasource.password=" + password);
        }
    }

    /** One application instance: data folder, database, log; started again on the same folder after a crash. */
    private final class Run {
        final String name;
        final Db db;
        final Path data;
        final List<String> args = new ArrayList<>();
        final List<String> jvmArgs = new ArrayList<>(JVM_ARGS);
        volatile int port = AdapterProcess.freePort();

        Run(String name, Db db, boolean crashes) {
            this.name = name;
            this.db = db;
            this.data = db.data() != null ? db.data() : work.resolve(name + "-data");
            args.addAll(db.appArgs(data));
            args.addAll(List.of("--celltrial.data-dir=" + data.toAbsolutePath(), "--celltrial.ingest.seed-demo-studies=false",
                    "--celltrial.ingest.poll-interval-ms=200", "--celltrial.ingest.quiet-period-ms=300",
                    "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath()));
            if (crashes) {
                // the crashes are ours, not the delivery's: it must not be quarantined after 3 unfinished attempts
                args.add("--celltrial.ingest.safety.max-attempts=" + (KILLS + 2));
                // the request that runs the heap out: only this test lifts the body limit
                args.add("--celltrial.limits.max-request-body=" + (OOM_BODY * 2) + "B");
                if (!db.h2()) {
                    jvmArgs.add("-XX:+ExitOnOutOfMemoryError");
                }
            }
        }

        int port() {
            return port;
        }

        AdapterProcess boot() throws IOException, InterruptedException {
            port = AdapterProcess.freePort();
            AdapterProcess app = new AdapterProcess(AdapterProcess.jar(), port, jvmArgs, args, work.resolve(name + ".log")).start();
            app.awaitReady(BOOT);
            return app;
        }

        Snapshot snapshotAndStop(AdapterProcess app) throws Exception {
            FhirExport.Content content = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES_AND_PROVENANCE);
            Map<String, Integer> counts = FhirExport.serverCounts(app.fhirBase(), FhirExport.INGESTED_TYPES_AND_PROVENANCE);
            app.stop();
            try (Connection c = StoreTables.open(db.url(), db.user(), db.password())) {
                return new Snapshot(content, counts, StoreTables.hapiRows(c, FhirExport.INGESTED_TYPES_AND_PROVENANCE),
                        StoreTables.messageStore(c));
            } catch (SQLException e) {
                throw new AssertionError("the " + name + " database does not open after the run: " + e, e);
            }
        }

        void drop(Path study) throws IOException {
            new AdapterHarness(data, port).dropFolder(study, DELIVERY);
        }

        /** Records the newest attempt has stored, from the message store API; 0 while none is listed. */
        long storedRecords() {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/deliveries"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode list = JSON.readTree(r.body());
                return r.statusCode() == 200 && list.size() > 0 ? list.get(0).path("counts").path("stored").asLong() : 0;
            } catch (IOException e) {
                return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }

        Path backup() throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/admin/backup"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("online backup: %s", r.body()).isEqualTo(200);
            Path file = Path.of(JSON.readTree(r.body()).path("file").asText());
            assertThat(file).exists().hasParent(data.toAbsolutePath().normalize().resolve("backup"));
            return file;
        }

        boolean claimed() {
            return Files.exists(data.resolve("inbox/.processing").resolve(DELIVERY));
        }

        String report() throws IOException {
            for (String area : List.of("done", "error")) {
                Path dir = data.resolve(area);
                if (!Files.isDirectory(dir)) continue;
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().endsWith("-" + DELIVERY + ".report.txt")) {
                            // the report file appears before its text is complete: read it once its outcome is there
                            String text = Files.readString(p);
                            return text.contains("Outcome:") ? area + "/\n" + text : null;
                        }
                    }
                }
            }
            return null;
        }

        String awaitReport(Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String r = report();
                if (r != null) {
                    assertThat(r).as("outcome of the %s run", name).startsWith("done/");
                    return r;
                }
                Thread.sleep(100);
            }
            return fail("the %s run did not finish the delivery within %s", name, timeout);
        }

        List<String> leftovers() throws IOException {
            List<String> left = new ArrayList<>();
            for (String area : List.of("inbox", "inbox/.processing", "error")) {
                Path dir = data.resolve(area);
                if (!Files.isDirectory(dir)) continue;
                try (var s = Files.list(dir)) {
                    s.filter(p -> !p.getFileName().toString().equals(".processing")).forEach(p -> left.add(area + "/" + p.getFileName()));
                }
            }
            return left;
        }
    }

    /** Drops and creates a database next to the test database (the test user has CREATEDB); returns its JDBC URL. */
    private static String recreateDatabase(String name) {
        try (Connection c = StoreTables.open(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
             java.sql.Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            fail("PostgreSQL is required for this test but " + TestPostgres.URL + " (user " + TestPostgres.USER + ") does not answer"
                    + " or may not create databases: " + e.getMessage() + ". Run .ci/run, or start PostgreSQL and set"
                    + " CELLTRIAL_TEST_PG_URL/USER/PASSWORD.");
        }
        String url = TestPostgres.URL;
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : url.substring(q));
    }

    private static Path newWorkDir() {
        try {
            Path dir = Path.of("target", "crash-it", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                    .toAbsolutePath();
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println("[CrashSafetyIT] " + String.format(Locale.ROOT, format, args));
    }
}
