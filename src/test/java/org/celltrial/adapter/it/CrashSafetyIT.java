package org.celltrial.adapter.it;

import org.celltrial.adapter.bench.AdapterProcess;
import org.celltrial.adapter.bench.FhirExport;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Crash safety of the ingest pipeline on PostgreSQL: the packaged application, run as its own process, ingests a
 * synthetic study of more than 10,000 records and is killed with SIGKILL at random points of the ingest; after each
 * kill it is started again on the same data folder and database. When the delivery has finally landed in done/, the
 * stored FHIR content must equal, resource by resource, that of a clean run without kills: same ids, same content,
 * nothing lost, nothing twice, and the same number of rows in HAPI's resource, version, search-index and link tables.
 *
 * <p>Kill points are seeded ({@code -Dcrash.seed}, printed) and driven by progress: kill 1 comes 0-1.5 s after the
 * delivery was claimed (reading, mapping, first transactions); after each restart, once the application is ready
 * and has claimed the re-queued delivery again, the next kill waits until a random share (0-75 %) of the resources
 * is committed, then a random 0-400 ms more, so it lands inside a subject's transaction or between two (or, when the
 * share was already reached, while the restarted ingest rewrites the subjects stored before). Properties: {@code crash.kills} (5), {@code crash.subjects} (350),
 * {@code crash.seed} (time based), {@code crash.jvmArgs} ("-Xmx1536m"). Longer runs: src/bench/crash-test.sh.
 */
class CrashSafetyIT {

    private static final int KILLS = Integer.getInteger("crash.kills", 5);
    private static final int SUBJECTS = Integer.getInteger("crash.subjects", 350);
    private static final long SEED = Long.getLong("crash.seed", System.currentTimeMillis() % 1_000_000);
    private static final List<String> JVM_ARGS = Arrays.stream(System.getProperty("crash.jvmArgs", "-Xmx1536m").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();
    private static final String DELIVERY = "crash-study";
    private static final Duration BOOT = Duration.ofMinutes(5);

    private final Path work = newWorkDir();

    @Test
    void sigkilledIngestEndsWithExactlyTheContentOfACleanRun() throws Exception {
        long t0 = System.nanoTime();
        Path jar = AdapterProcess.jar();
        Path mappings = Path.of("mappings").toAbsolutePath();
        String cleanDb = recreateDatabase("celltrial_crash_clean");
        String killDb = recreateDatabase("celltrial_crash_kill");
        Path study = work.resolve("study");
        SyntheticStudyGenerator.Summary summary = SyntheticStudyGenerator.write(study, "CRASH-1", SUBJECTS, 4711);
        assertThat(summary.records()).as("records of the test study").isGreaterThanOrEqualTo(Math.min(10_000, SUBJECTS * 28));
        say("seed %d (-Dcrash.seed=%d repeats these kill points), %d kills, %s; work folder %s", SEED, SEED, KILLS, summary, work);

        // (a) clean run
        Run clean = new Run("clean", cleanDb, jar, mappings);
        long c0 = System.nanoTime();
        AdapterProcess app = clean.boot();
        say("clean run: ready after %.1f s", secs(c0));
        long i0 = System.nanoTime();
        clean.drop(study);
        String cleanReport = clean.awaitReport(Duration.ofMinutes(15));
        say("clean run: ingested in %.1f s", secs(i0));
        FhirExport.Content expected = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES);
        Map<String, Integer> cleanServerCounts = FhirExport.serverCounts(app.fhirBase(), FhirExport.INGESTED_TYPES);
        app.stop();
        Map<String, Map<String, Long>> cleanRows = tableRows(cleanDb);
        assertThat(cleanReport).contains("Outcome: OK - all " + summary.records() + " records stored");
        assertThat(expected.resources()).hasSize(summary.resources());
        assertThat(expected.countByType()).containsEntry("Patient", summary.dm()).containsEntry("AdverseEvent", summary.ae())
                .containsEntry("Observation", summary.ce());
        assertThat(cleanServerCounts).isEqualTo(expected.countByType());
        say("clean run: %d resources %s, %.1f s in all", expected.resources().size(), expected.countByType(), secs(c0));

        // (b) the same delivery, killed again and again
        Run killed = new Run("kill", killDb, jar, mappings);
        Random rnd = new Random(SEED);
        double[] shares = new double[KILLS];
        for (int k = 1; k < KILLS; k++) {
            // at most 75 %: the last quarter (~2,700 resources) takes longer than the 400 ms jitter even at 3,000+
            // resources/s, so every kill lands before the delivery is done (at 90 % one overshot, 11-30)
            shares[k] = rnd.nextDouble() * 0.75;
        }
        Arrays.sort(shares, 1, KILLS);
        List<String> kills = new ArrayList<>();
        int midDelivery = 0;
        long k0 = System.nanoTime();
        try (Connection db = DriverManager.getConnection(killDb, TestPostgres.USER, TestPostgres.PASSWORD)) {
            for (int k = 0; k < KILLS; k++) {
                long target = Math.round(shares[k] * summary.resources());
                long jitter = k == 0 ? rnd.nextInt(1500) : rnd.nextInt(400);
                long b0 = System.nanoTime();
                app = killed.boot();   // ready: the interrupted delivery has been re-queued (and usually claimed again)
                if (k == 0) {
                    killed.drop(study);
                }
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (!(killed.claimed() && storedResources(db) >= target)) {
                    if (!app.alive()) fail("the application died on its own during kill run boot " + (k + 1) + "; see " + app.log());
                    if (killed.report() != null) fail("the delivery finished before kill " + (k + 1) + " (target " + target
                            + " resources): use more subjects (-Dcrash.subjects)");
                    if (System.nanoTime() > deadline) fail("no progress to " + target + " stored resources within 10 min; see " + app.log());
                    Thread.sleep(20);
                }
                Thread.sleep(jitter);
                long before = storedResources(db);
                int exit = app.kill();
                long after = storedResources(db);
                boolean mid = killed.claimed() && killed.report() == null;
                midDelivery += mid ? 1 : 0;
                String line = String.format(Locale.ROOT, "kill %d: %.1f s after start (incl. boot), target %d + %d ms, %d of %d resources stored "
                                + "(%d after the kill), exit %d, %s", k + 1, secs(b0), target, jitter, before, summary.resources(), after,
                        exit, mid ? "mid-delivery" : "after the delivery finished");
                kills.add(line);
                say("%s", line);
                assertThat(exit).as("exit code of a SIGKILLed JVM").isEqualTo(137);
            }
        }
        app = killed.start();
        app.awaitReady(BOOT);
        String killReport = killed.awaitReport(Duration.ofMinutes(15));
        FhirExport.Content actual = FhirExport.export(app.fhirBase(), FhirExport.INGESTED_TYPES);
        Map<String, Integer> killServerCounts = FhirExport.serverCounts(app.fhirBase(), FhirExport.INGESTED_TYPES);
        app.stop();
        Map<String, Map<String, Long>> killRows = tableRows(killDb);
        say("kill run: %d kills (%d mid-delivery), delivered after %.1f s; versions %s", kills.size(), midDelivery, secs(k0),
                actual.versions().values().stream().collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting())));

        // the verdict
        assertThat(midDelivery).as("kills that landed while the delivery was being processed").isEqualTo(KILLS);
        assertThat(killReport).contains("Outcome: OK - all " + summary.records() + " records stored");
        assertThat(killed.leftovers()).as("deliveries left in inbox/, inbox/.processing/ or error/").isEmpty();
        assertThat(killed.doneEntries()).as("done/").hasSize(2);
        assertThat(FhirExport.differences(expected, actual, 20)).as("FHIR content after %d SIGKILLs vs the clean run", KILLS).isEmpty();
        assertThat(killServerCounts).as("server counts (_summary=count)").isEqualTo(cleanServerCounts);
        assertThat(killRows).as("rows per resource type in HAPI's tables").isEqualTo(cleanRows);
        say("crash safety: OK, %d resources identical to the clean run after %d SIGKILLs; %.0f s in all", actual.resources().size(),
                KILLS, secs(t0));
    }

    /** One application instance: its data folder, database, log; booted again on the same folder after a kill. */
    private final class Run {
        final String name;
        final Path data;
        final List<String> args;
        final Path jar;

        Run(String name, String dbUrl, Path jar, Path mappings) {
            this.name = name;
            this.jar = jar;
            this.data = work.resolve(name + "-data");
            this.args = List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + dbUrl,
                    "--spring.datasource.username=" + TestPostgres.USER, "--spring.datasource.password=" + TestPostgres.PASSWORD,
                    "--celltrial.data-dir=" + data.toAbsolutePath(), "--celltrial.ingest.seed-demo-studies=false",
                    "--celltrial.ingest.poll-interval-ms=200", "--celltrial.ingest.quiet-period-ms=300",
                    "--celltrial.ingest.mappings=" + mappings,
                    // the kills are ours, not the delivery's: it must not be quarantined after 3 unfinished attempts
                    "--celltrial.ingest.safety.max-attempts=" + (KILLS + 2));
        }

        AdapterProcess start() throws IOException {
            return new AdapterProcess(jar, AdapterProcess.freePort(), JVM_ARGS, args, work.resolve(name + ".log")).start();
        }

        AdapterProcess boot() throws IOException, InterruptedException {
            AdapterProcess app = start();
            app.awaitReady(BOOT);
            return app;
        }

        /** Copies the study into the inbox under a hidden name and renames it, so it appears complete at once. */
        void drop(Path study) throws IOException {
            Path inbox = data.resolve("inbox");
            Path staging = inbox.resolve("." + DELIVERY + ".partial");
            Files.createDirectories(staging);
            try (Stream<Path> s = Files.list(study)) {
                for (Path f : s.toList()) {
                    Files.copy(f, staging.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(staging, inbox.resolve(DELIVERY), StandardCopyOption.ATOMIC_MOVE);
        }

        boolean claimed() {
            return Files.exists(data.resolve("inbox/.processing").resolve(DELIVERY));
        }

        /** The report of the delivery in done/ or error/, or null while it is not processed. */
        String report() throws IOException {
            for (String area : List.of("done", "error")) {
                Path dir = data.resolve(area);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        if (p.getFileName().toString().endsWith("-" + DELIVERY + ".report.txt")) {
                            return area + "/\n" + Files.readString(p);
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
                try (Stream<Path> s = Files.list(dir)) {
                    s.filter(p -> !p.getFileName().toString().equals(".processing")).forEach(p -> left.add(area + "/" + p.getFileName()));
                }
            }
            return left;
        }

        List<String> doneEntries() throws IOException {
            try (Stream<Path> s = Files.list(data.resolve("done"))) {
                return s.map(p -> p.getFileName().toString()).sorted().toList();
            }
        }
    }

    /** Committed resources of the ingested types: what a kill can have left behind. 0 before the schema exists. */
    private static long storedResources(Connection db) {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from hfj_resource where res_type in (" + typeList() + ")")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0;
        }
    }

    /** Rows per resource type in HAPI's resource, version, tag, link and search-index tables of the ingested types. */
    private static Map<String, Map<String, Long>> tableRows(String url) throws SQLException {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("hfj_resource", "select res_type, count(*) from hfj_resource where res_deleted_at is null and res_type in (%s) group by 1");
        queries.put("hfj_res_ver", "select res_type, count(*) from hfj_res_ver where res_type in (%s) group by 1");
        queries.put("hfj_res_tag", "select res_type, count(*) from hfj_res_tag where res_type in (%s) group by 1");
        for (String t : List.of("coords", "date", "number", "quantity", "quantity_nrml", "string", "token", "uri")) {
            queries.put("hfj_spidx_" + t, "select res_type, count(*) from hfj_spidx_" + t + " where res_type in (%s) group by 1");
        }
        queries.put("hfj_res_link", "select source_resource_type, count(*) from hfj_res_link where source_resource_type in (%s) group by 1");
        for (String t : List.of("hfj_res_param_present", "hfj_idx_cmb_tok_nu", "hfj_res_search_url")) {
            queries.put(t, "select r.res_type, count(*) from " + t + " x join hfj_resource r on r.res_id = x.res_id"
                    + " where r.res_type in (%s) group by 1");
        }
        Map<String, Map<String, Long>> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(url, TestPostgres.USER, TestPostgres.PASSWORD); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                Map<String, Long> byType = new TreeMap<>();
                try (ResultSet rs = s.executeQuery(String.format(q.getValue(), typeList()))) {
                    while (rs.next()) {
                        byType.put(rs.getString(1), rs.getLong(2));
                    }
                }
                rows.put(q.getKey(), byType);
            }
        }
        return rows;
    }

    private static String typeList() {
        return FhirExport.INGESTED_TYPES.stream().map(t -> "'" + t + "'").collect(Collectors.joining(","));
    }

    /** Drops and creates a database next to the test database (the test user has CREATEDB); returns its JDBC URL. */
    private static String recreateDatabase(String name) {
        try (Connection c = DriverManager.getConnection(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD);
             Statement s = c.createStatement()) {
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
