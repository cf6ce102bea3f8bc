package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.celltrial.adapter.bench.AdapterProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL in the SFTP source's crash window: the packaged application has fetched a zip from the site's server (a real
 * SSH server in the test, Apache MINA SSHD) and renamed it into our inbox, and is killed while the server is moving the
 * zip into its done-folder (the test's server holds the rename until the kill). Started again on the same data folder
 * and H2 database: the delivery in the inbox is ingested, the zip, still in the site's folder, is fetched and ingested
 * again, and then moved. Nothing lost (every record of the study is there), nothing twice (each resource at version 1,
 * the second delivery writes nothing), no half file left in the inbox.
 */
class SftpCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PASSWORD = "s3cret-Crash-Pass";
    private static final String ZIP = "site07-2024-05.zip";
    private static final String DELIVERY = "site07-site07-2024-05";

    /**
     * Holds the server's rename of a fetched file (Camel's move into done-folder) until released, and then fails it:
     * the rename never happens, as when the process dies before its request reaches the server (the held request has
     * reached it, and would otherwise be carried out for a client that is gone).
     */
    static final class HeldMove implements SftpEventListener {
        volatile boolean hold = true;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void moving(ServerSession session, Path src, Path dst, Collection<CopyOption> opts) throws IOException {
            if (hold) {
                reached.countDown();
                try {
                    release.await(5, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("the test's server: this rename never arrived");
            }
        }
    }

    @Test
    void killedBetweenTheInboxAndTheMoveOnTheServerThenRestartedLosesAndDuplicatesNothing() throws Exception {
        Path data = TestData.newDataDir("sftp-crash");
        Path remote = data.resolve("remote-root");
        Files.createDirectories(remote.resolve("outbox"));
        HeldMove held = new HeldMove();
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(held);
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(data.resolve("hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> user.equals("site07") && password.equals(PASSWORD));
        sshd.setSubsystemFactories(List.of(sftp));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(remote));
        sshd.start();
        AdapterProcess app = null;
        try {
            KeyPair key = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
            Path knownHosts = data.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
            Path password = data.resolve("sftp.password");
            Files.writeString(password, PASSWORD);
            upload(remote.resolve("outbox").resolve(ZIP));

            int port = AdapterProcess.freePort();
            List<String> args = new ArrayList<>(List.of("--celltrial.data-dir=" + data,
                    "--celltrial.ingest.seed-demo-studies=false", "--celltrial.ingest.poll-interval-ms=200",
                    "--celltrial.ingest.quiet-period-ms=300"));
            String s = "--celltrial.sources[0].";
            // on a cron schedule that does not come during the test (1 January, 03:00): pulls are asked for by POST
            args.addAll(List.of(s + "id=site07", s + "type=sftp", s + "cron=0 0 3 1 1 *", s + "cron-zone=Europe/Berlin",
                    s + "connection.host=127.0.0.1", s + "connection.port=" + sshd.getPort(),
                    s + "connection.username=site07", s + "connection.password-file=" + password,
                    s + "connection.folder=outbox", s + "connection.known-hosts-file=" + knownHosts,
                    s + "connection.min-age=1s"));
            app = new AdapterProcess(AdapterProcess.jar(), port, List.of("-Xmx1g"), args, data.resolve("adapter.log"));
            app.start().awaitReady(Duration.ofMinutes(6));
            assertThat(get(port, "/api/sources").get(1).get("schedule").asText()).isEqualTo("cron 0 0 3 1 1 * Europe/Berlin");

            CompletableFuture<HttpResponse<String>> pull = HTTP.sendAsync(post(port, "/api/sources/site07/run"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(held.reached.await(2, TimeUnit.MINUTES)).as("the pull reached the move on the server").isTrue();
            // the zip is in our inbox (or already claimed from it), and still in the site's folder
            assertThat(remote.resolve("outbox").resolve(ZIP)).exists();
            app.kill();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pull.get(30, TimeUnit.SECONDS))
                    .as("the pull's request died with the process").isInstanceOf(java.util.concurrent.ExecutionException.class);
            held.hold = false;
            held.release.countDown();
            assertThat(remote.resolve("outbox").resolve(ZIP)).as("not moved: the process died first").exists();

            app.start().awaitReady(Duration.ofMinutes(6));
            // the delivery that reached the inbox before the kill is ingested after the restart
            awaitReports(data, 1);
            int[] counts = counts(port);
            java.util.Date before = new java.util.Date();
            Thread.sleep(50); // _since compares at millisecond precision

            // the zip is still on the server: the next pull fetches it again, and this time moves it
            JsonNode state = JSON.readTree(HTTP.send(post(port, "/api/sources/site07/run"),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(state.get("lastOutcome").asText()).as(state.toString()).isEqualTo("delivered");
            awaitReports(data, 2);
            assertThat(remote.resolve("outbox").resolve(ZIP)).doesNotExist();
            assertThat(remote.resolve("outbox/.delivered").resolve(ZIP)).exists();

            // nothing lost: every record of the study, as a clean run has it
            assertThat(counts).containsExactly(TestData.rows("nk-aml-haplo/dm.csv"), TestData.rows("nk-aml-haplo/pr.csv"),
                    TestData.rows("nk-aml-haplo/ae.csv"), TestData.rows("nk-aml-haplo/EX.csv"));
            // nothing twice: the second delivery wrote nothing, every resource is at its first version
            assertThat(counts(port)).containsExactly(counts);
            JsonNode history = get(port, "/fhir/_history?_since=" + java.time.Instant.ofEpochMilli(before.getTime()));
            assertThat(history.path("entry").size()).as(history.toString()).isZero();
            JsonNode procedures = get(port, "/fhir/Procedure?_count=100");
            procedures.get("entry").forEach(e -> assertThat(e.get("resource").get("meta").get("versionId").asText())
                    .isEqualTo("1"));
            try (Stream<Path> inbox = Files.list(data.resolve("inbox"))) {
                assertThat(inbox.filter(p -> p.getFileName().toString().contains(DELIVERY))).as("nothing left in the inbox")
                        .isEmpty();
            }
            try (Stream<Path> tmp = Files.list(data.resolve("inbox/.sources-tmp"))) {
                assertThat(tmp).as("no half file left").isEmpty();
            }
        } finally {
            held.release.countDown();
            if (app != null && app.alive()) {
                app.stop();
            }
            sshd.stop(true);
        }
    }

    private static void upload(Path zip) throws Exception {
        AdapterHarness.zipAmlDemo(zip);
    }

    /** Waits until {@code n} deliveries of the zip have their report in done/; none may be in error/. */
    private static void awaitReports(Path data, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (reports(data.resolve("error")) > 0) {
                throw new AssertionError("a delivery of the zip went to error/");
            }
            if (reports(data.resolve("done")) >= n) {
                assertThat(reports(data.resolve("done"))).isEqualTo(n);
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(n + " deliveries of the zip were not processed in time");
    }

    private static long reports(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-" + DELIVERY + ".zip.report.txt")).count();
        }
    }

    /** Patients, Procedures, AdverseEvents, MedicationAdministrations stored. */
    private static int[] counts(int port) throws Exception {
        int[] c = new int[4];
        String[] types = {"Patient", "Procedure", "AdverseEvent", "MedicationAdministration"};
        for (int i = 0; i < types.length; i++) {
            c[i] = get(port, "/fhir/" + types[i] + "?_summary=count").get("total").asInt();
        }
        return c;
    }

    private static HttpRequest post(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static JsonNode get(int port, String path) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
