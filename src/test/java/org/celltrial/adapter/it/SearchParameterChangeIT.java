package org.celltrial.adapter.it;

import org.celltrial.adapter.bench.AdapterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator adds a search parameter to {@code celltrial.fhir.search-parameters} and restarts the packaged adapter
 * on the same (H2) data: the resources already stored become findable by it, without re-delivering anything.
 */
class SearchParameterChangeIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
    private static final String SUBJECT_SEARCH = "Procedure?subject=Patient/NKAML-P1-NKAML-P1-01-001&_summary=count";

    @TempDir
    Path work;

    @Test
    void addingAParameterReindexesWhatIsAlreadyStored() throws Exception {
        Path data = work.resolve("data");
        // first start: default selection (Procedure indexes patient, not subject); the demo studies are seeded
        try (AdapterProcess app = start(data, List.of(), "first")) {
            awaitTotal(app, "Patient?_summary=count", 10, Duration.ofMinutes(3));
            awaitTotal(app, "Procedure?patient=Patient/NKAML-P1-NKAML-P1-01-001&_summary=count", 2, Duration.ofSeconds(30));
            HttpResponse<String> refused = get(app, SUBJECT_SEARCH);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("Unknown search parameter \\\"subject\\\"");
        }
        // restart with subject added for Procedure: the stored procedures are reindexed in the background
        String procedure = "--celltrial.fhir.search-parameters.Procedure="
                + "identifier,patient,subject,code,category,date,status,based-on,part-of";
        try (AdapterProcess app = start(data, List.of(procedure), "second")) {
            awaitTotal(app, SUBJECT_SEARCH, 2, Duration.ofMinutes(4));
        }
    }

    private AdapterProcess start(Path data, List<String> extra, String name) throws Exception {
        List<String> args = new ArrayList<>(List.of("--celltrial.data-dir=" + data, "--spring.profiles.active=h2",
                "--celltrial.ingest.poll-interval-ms=200", "--celltrial.ingest.quiet-period-ms=300",
                "--celltrial.ingest.mappings=" + Path.of("mappings").toAbsolutePath()));
        args.addAll(extra);
        AdapterProcess app = new AdapterProcess(AdapterProcess.jar(), AdapterProcess.freePort(), List.of("-Xmx1g"), args,
                work.resolve(name + ".log")).start();
        app.awaitReady(Duration.ofMinutes(4));
        return app;
    }

    private static void awaitTotal(AdapterProcess app, String search, int expected, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        Integer last = null;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = get(app, search);
            Matcher m = TOTAL.matcher(r.body());
            last = r.statusCode() == 200 && m.find() ? Integer.valueOf(m.group(1)) : null;
            if (last != null && last == expected) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError(search + ": total " + last + " after " + timeout + ", expected " + expected
                + " (see " + app.log() + ")");
    }

    private static HttpResponse<String> get(AdapterProcess app, String search) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.fhirBase() + "/" + search))
                .header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
    }
}
