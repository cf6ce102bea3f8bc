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
    private static final String COUNTRY_SEARCH = "Patient?address-country=IRN&_summary=count";

    @TempDir
    Path work;

    @Test
    void addingAParameterReindexesWhatIsAlreadyStored() throws Exception {
        Path data = work.resolve("data");
        // first start: default selection (Patient is not indexed by address-country); the demo studies are seeded
        try (AdapterProcess app = start(data, List.of(), "first")) {
            awaitTotal(app, "Patient?_summary=count", 10, Duration.ofMinutes(3));
            HttpResponse<String> refused = get(app, COUNTRY_SEARCH);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("Unknown search parameter \\\"address-country\\\"");
        }
        // restart with address-country added for Patient: the stored patients are reindexed in the background
        String patient = "--celltrial.fhir.search-parameters.Patient=identifier,name,family,given,gender,birthdate,address-country";
        try (AdapterProcess app = start(data, List.of(patient), "second")) {
            awaitTotal(app, COUNTRY_SEARCH, 10, Duration.ofMinutes(4));
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
