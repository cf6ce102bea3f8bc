package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.celltrial.adapter.mapping.FhirIds;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One adapter instance pulling, on its own schedules (nothing triggered by hand), from all the kinds of places trial
 * data lives at once: a REDCap project's API (an HTTP server answering as REDCap does, from the real export), a site's
 * SFTP folder (a real SSH server), a site's PostgreSQL staging table, and the inbox folder. Each lands as FHIR; then,
 * over further scheduled rounds of every source, nothing is written again (no duplicate, no new version).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AllSourcesAtOnceIT {

    static final Path DATA = TestData.newDataDir("all-sources");
    static final Path REMOTE = DATA.resolve("remote-root");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SFTP_PASSWORD = "s3cret-Sftp-All";
    static RedcapTestServer redcap;
    static SshServer sshd;
    static String stagingUrl;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        TestData.h2Properties(r, DATA);
        // REDCap
        redcap = new RedcapTestServer();
        Path token = DATA.resolve("redcap.token");
        Files.writeString(token, RedcapTestServer.TOKEN + "\n");
        source(r, 0, "gecco", "redcap", Map.of("url", redcap.url(), "allow-http", "true", "token-file", token.toString(),
                "server-timezone", "Europe/Berlin"));
        r.add("celltrial.sources[0].mapping-set", () -> "redcap-gecco");
        // SFTP, with a delivery waiting in the site's outbox before the adapter starts
        Files.createDirectories(REMOTE.resolve("outbox"));
        uploadAmlDemo(REMOTE.resolve("outbox").resolve("site09-2024-05.zip"));
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(DATA.resolve("hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> user.equals("site09") && password.equals(SFTP_PASSWORD));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(REMOTE));
        sshd.start();
        KeyPair key = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        Path knownHosts = DATA.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
        Path sftpPassword = DATA.resolve("sftp.password");
        Files.writeString(sftpPassword, SFTP_PASSWORD);
        source(r, 1, "site09", "sftp", Map.of("host", "127.0.0.1", "port", String.valueOf(sshd.getPort()), "username", "site09",
                "password-file", sftpPassword.toString(), "folder", "outbox", "known-hosts-file", knownHosts.toString(),
                "min-age", "1s"));
        // a site's staging table on PostgreSQL
        stagingUrl = TestPostgres.freshDatabase("celltrial_site_staging_all");
        try (Connection c = DriverManager.getConnection(stagingUrl, TestPostgres.USER, TestPostgres.PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dm_staging (studyid TEXT NOT NULL, domain TEXT, usubjid TEXT NOT NULL, subjid TEXT,"
                    + " rfstdtc TEXT, brthdtc TEXT, age INT, ageu TEXT, sex TEXT, updated_at TIMESTAMP NOT NULL,"
                    + " PRIMARY KEY (studyid, usubjid))");
            s.execute("INSERT INTO dm_staging VALUES"
                    + " ('SITE-Y','DM','SITE-Y-001','001','2022-02-01','2012-04-03',9,'YEARS','F','2024-02-01 09:00:00'),"
                    + " ('SITE-Y','DM','SITE-Y-002','002','2022-03-01','2010-06-07',11,'YEARS','M','2024-02-01 09:00:01')");
        }
        Path stagingPassword = DATA.resolve("staging.password");
        Files.writeString(stagingPassword, TestPostgres.PASSWORD);
        source(r, 2, "site-db", "jdbc", Map.of("url", stagingUrl, "user", TestPostgres.USER,
                "password-file", stagingPassword.toString(), "table", "dm_staging", "dataset", "DM",
                "watermark-column", "updated_at", "key-columns", "studyid, usubjid"));
    }

    /** A source that runs by itself: first after 1 s, then every 3 s. */
    private static void source(DynamicPropertyRegistry r, int i, String id, String type, Map<String, String> connection) {
        String s = "celltrial.sources[" + i + "].";
        r.add(s + "id", () -> id);
        r.add(s + "type", () -> type);
        r.add(s + "schedule", () -> "3s");
        r.add(s + "initial-delay", () -> "1s");
        connection.forEach((k, v) -> r.add(s + "connection." + k, () -> v));
    }

    private static void uploadAmlDemo(Path zip) throws Exception {
        AdapterHarness.zipAmlDemo(zip);
    }

    @AfterAll
    static void stop() throws Exception {
        redcap.close();
        sshd.stop(true);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void everySourceLandsOnItsScheduleAndLaterRoundsWriteNothing() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-nb-auto"), "nb-by-hand");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("REDCap API", FhirIds.fromKey("Project.NUM-patient_048316877"));
        expected.put("SFTP folder", FhirIds.fromKey("NKAML-P1-NKAML-P1-01-001"));
        expected.put("staging table", FhirIds.fromKey("SITE-Y-SITE-Y-002"));
        expected.put("inbox", FhirIds.fromKey("NKNB-P12-NKNB-P12-01-001"));
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        Map<String, Boolean> landed = new LinkedHashMap<>();
        while (System.nanoTime() < deadline) {
            expected.forEach((what, id) -> landed.put(what, count("Patient?_id=" + id) == 1));
            if (!landed.containsValue(false)) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(landed).as("a Patient from each source").containsOnly(
                Map.entry("REDCap API", true), Map.entry("SFTP folder", true), Map.entry("staging table", true), Map.entry("inbox", true));
        assertThat(harness.awaitOutcome("nb-by-hand", Duration.ofMinutes(2)).area()).isEqualTo("done");
        assertThat(REMOTE.resolve("outbox/.delivered/site09-2024-05.zip")).exists();

        // every source has been scheduled again at least twice since: nothing new was written, nothing failed
        Map<String, Integer> runsBefore = runs();
        Thread.sleep(50);
        java.util.Date since = new java.util.Date();
        Thread.sleep(50);
        deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, Integer> runsNow = runs();
        while (System.nanoTime() < deadline && runsNow.entrySet().stream().anyMatch(e -> e.getValue() < runsBefore.get(e.getKey()) + 2)) {
            Thread.sleep(1000);
            runsNow = runs();
        }
        assertThat(runsNow).allSatisfy((id, n) -> assertThat(n).as("scheduled runs of %s", id).isGreaterThanOrEqualTo(runsBefore.get(id) + 2));
        for (JsonNode s : api("/api/sources")) {
            if (!s.get("type").asText().equals("inbox")) {
                assertThat(s.get("lastOutcome").asText()).as(s.toString()).isNotEqualTo("failed");
                assertThat(s.get("lastError").isNull()).as(s.toString()).isTrue();
            }
        }
        // the sources' last deliveries (if any arrived since) must be done before history is read
        Thread.sleep(3000);
        Bundle history = harness.client().history().onServer().returnBundle(Bundle.class).since(since).count(50).execute();
        assertThat(history.getEntry()).as("versions written by later rounds").isEmpty();
        assertThat(count("Patient?_id=" + expected.get("REDCap API"))).isEqualTo(1);
    }

    private Map<String, Integer> runs() throws Exception {
        Map<String, Integer> runs = new LinkedHashMap<>();
        for (JsonNode s : api("/api/sources")) {
            if (s.has("counts")) {
                runs.put(s.get("id").asText(), s.get("counts").get("runs").asInt());
            }
        }
        assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(List.of("gecco", "site09", "site-db"));
        return runs;
    }

    private int count(String query) {
        Bundle b = new AdapterHarness(DATA, port).client().search().byUrl(query + "&_summary=count")
                .returnBundle(Bundle.class).execute();
        return b.getTotal();
    }

    private JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
