package org.celltrial.adapter.bench;

import org.celltrial.adapter.cli.SyntheticStudyGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 15's proof of bounded memory (src/bench/big-xpt.sh): a synthetic study of about {@code rows} records written
 * as SAS XPORT, ingested by the packaged adapter started with a 1 GiB heap, timed from the claim to the report. Prints
 * rows/s, the peak heap in use (the largest occupancy a GC log line shows before a collection, and after one), and the
 * peak resident set size (VmHWM of the process). The delivery must end in done/ with every record stored.
 * Arguments: rows (1,000,000), database (postgres or h2), heap ("-Xmx1g"). Environment: APP_ARGS (more adapter
 * arguments), CHAR_LENGTH (declared length of every character variable, at least; 1 = as long as the longest value),
 * HISTOGRAM=true (a class histogram of the live heap after the delivery, histogram-after.txt).
 */
public final class BigXpt {

    private static final Pattern GC = Pattern.compile("Pause.*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String db = args.length > 1 ? args[1] : "postgres";
        String heap = args.length > 2 ? args[2] : "-Xmx1g";
        Path work = Files.createDirectories(Path.of("target", "bench", "big-xpt-" + LocalDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + db + "-" + rows).toAbsolutePath());
        // the generator writes ~30 records per subject (DM, 3 PR, 8 EX, AE, CE) and 6 TS rows
        int subjects = Math.max(1, rows / 30);
        Path csv = work.resolve("csv");
        SyntheticStudyGenerator.Summary summary = SyntheticStudyGenerator.write(csv, "BIG-1", subjects, 42);
        Path xpt = work.resolve("study-xpt");
        // CHAR_LENGTH: every character variable declared that long (SAS's habit of $200), for a bigger file of the same rows
        StudyFormat.XPT.convert(csv, xpt, Integer.parseInt(env("CHAR_LENGTH", "1")));
        deleteTree(csv);
        long bytes;
        try (Stream<Path> s = Files.list(xpt)) {
            bytes = s.mapToLong(p -> p.toFile().length()).sum();
        }
        say("%s; %d records as SAS XPORT, %.0f MB, in %s", summary, summary.records(), bytes / 1e6, xpt);

        Path gcLog = work.resolve("gc.log");
        List<String> app = new ArrayList<>(List.of("--celltrial.data-dir=" + work.resolve("data"),
                "--celltrial.ingest.seed-demo-studies=false", "--celltrial.ingest.poll-interval-ms=200",
                "--celltrial.ingest.quiet-period-ms=300", "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath(),
                "--celltrial.ingest.max-delivery-bytes=" + Math.max(512L << 20, bytes * 2),
                "--celltrial.ingest.safety.time-budget=300m"));
        if (db.equals("postgres")) {
            app.addAll(List.of("--spring.profiles.active=postgres",
                    "--spring.datasource.url=" + IngestBenchmark.recreateDatabase("celltrial_bench_bigxpt"),
                    "--spring.datasource.username=" + env("CELLTRIAL_TEST_PG_USER", "celltrial"),
                    "--spring.datasource.password=" + env("CELLTRIAL_TEST_PG_PASSWORD", "celltrial")));
        } else {
            app.add("--spring.profiles.active=h2");
        }
        app.addAll(java.util.Arrays.stream(env("APP_ARGS", "").split("\\s+")).filter(a -> !a.isBlank()).toList());
        List<String> jvm = List.of(heap, "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gcLog);
        AdapterProcess adapter = new AdapterProcess(AdapterProcess.jar(), AdapterProcess.freePort(), jvm, app,
                work.resolve("adapter.log")).start();
        adapter.awaitReady(Duration.ofMinutes(5));
        Path inbox = work.resolve("data/inbox");
        long rssAtStart = status(adapter.pid(), "VmRSS");
        IngestBenchmark.drop(xpt, inbox, "big");
        long claimed = 0;
        long maxRss = 0;
        Path report;
        while ((report = IngestBenchmark.findReport(work.resolve("data"), "big")) == null) {
            if (!adapter.alive()) {
                throw new IllegalStateException("the adapter died (exit " + adapter.exitValue() + "); see " + adapter.log());
            }
            if (claimed == 0 && Files.exists(inbox.resolve(".processing/big"))) {
                claimed = System.nanoTime();
            }
            maxRss = Math.max(maxRss, status(adapter.pid(), "VmRSS"));
            Thread.sleep(500);
        }
        long finished = System.nanoTime();
        long hwm = status(adapter.pid(), "VmHWM");
        if (Boolean.parseBoolean(env("HISTOGRAM", "false"))) {
            // what is still live after the delivery (a full GC first): where memory that grows with a delivery would show
            new ProcessBuilder("jcmd", String.valueOf(adapter.pid()), "GC.class_histogram")
                    .redirectOutput(work.resolve("histogram-after.txt").toFile()).start().waitFor();
        }
        adapter.stop();
        String text = Files.readString(report);
        boolean done = report.getParent().getFileName().toString().equals("done");
        int[] peak = peakHeap(gcLog);
        double seconds = (finished - claimed) / 1e9;
        say("outcome: %s; %s", done ? "done" : "NOT DONE", text.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse(""));
        say("%d rows in %.0f s from the claim: %.0f rows/s", summary.records(), seconds, summary.records() / seconds);
        say("heap %s: peak in use %d MB (before a GC), peak live after a GC %d MB; committed at most %d MB",
                heap, peak[0], peak[1], peak[2]);
        say("RSS: %d MB at start, peak %d MB (VmHWM; sampled max %d MB)", rssAtStart >> 10, hwm >> 10, maxRss >> 10);
        say("logs: %s, %s", adapter.log(), gcLog);
        if (!done) {
            System.out.println(text);
            System.exit(1);
        }
        System.exit(0);
    }

    /** Largest heap in use before a collection, after one, and the largest heap size, from a -Xlog:gc file (MB). */
    private static int[] peakHeap(Path gcLog) throws IOException {
        int[] peak = new int[3];
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC.matcher(line);
            if (m.find()) {
                peak[0] = Math.max(peak[0], Integer.parseInt(m.group(1)));
                peak[1] = Math.max(peak[1], Integer.parseInt(m.group(2)));
                peak[2] = Math.max(peak[2], Integer.parseInt(m.group(3)));
            }
        }
        return peak;
    }

    /** A kB field of /proc/<pid>/status (VmRSS, VmHWM); 0 if the process is gone. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void say(String format, Object... args) {
        System.out.println("[big-xpt] " + String.format(Locale.ROOT, format, args));
    }
}
