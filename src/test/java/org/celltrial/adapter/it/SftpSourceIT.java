package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.celltrial.adapter.mapping.FhirIds;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site's SFTP folder on a real SSH server started by the test (Apache MINA SSHD, password authentication, its host
 * key in our known_hosts): a zip delivery is fetched, ingested, and moved on the server only after it is in our inbox;
 * a server whose host key is not the known one is refused and its files stay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SftpSourceIT {

    static final Path DATA = TestData.newDataDir("sftp");
    static final Path REMOTE = DATA.resolve("remote-root");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "s3cret-Sftp-Pass";
    static SshServer sshd;
    static SshServer impostor;

    static SshServer server(Path hostKey) throws IOException {
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost("127.0.0.1");
        s.setPort(0);
        s.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        s.setPasswordAuthenticator((user, password, session) -> user.equals("site07") && password.equals(PASSWORD));
        s.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        s.setFileSystemFactory(new VirtualFileSystemFactory(REMOTE));
        s.start();
        return s;
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        Files.createDirectories(REMOTE.resolve("outbox"));
        sshd = server(DATA.resolve("hostkey.ser"));
        impostor = server(DATA.resolve("impostor-hostkey.ser"));
        KeyPair key = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        Path knownHosts = DATA.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n"
                + "[127.0.0.1]:" + impostor.getPort() + " " + PublicKeyEntry.toString(key.getPublic()) + "\n");
        Path password = DATA.resolve("sftp.password");
        Files.writeString(password, PASSWORD);
        TestData.h2Properties(r, DATA);
        for (int i = 0; i < 2; i++) {
            String s = "celltrial.sources[" + i + "].";
            int port = i == 0 ? sshd.getPort() : impostor.getPort();
            r.add(s + "id", () -> port == sshd.getPort() ? "site07" : "impostor");
            r.add(s + "type", () -> "sftp");
            r.add(s + "schedule", () -> "1h");
            r.add(s + "initial-delay", () -> "1h");
            r.add(s + "connection.host", () -> "127.0.0.1");
            r.add(s + "connection.port", () -> String.valueOf(port));
            r.add(s + "connection.username", () -> "site07");
            r.add(s + "connection.password-file", password::toString);
            r.add(s + "connection.folder", () -> "outbox");
            r.add(s + "connection.known-hosts-file", knownHosts::toString);
            r.add(s + "connection.min-age", () -> "1s");
        }
    }

    @AfterAll
    static void stop() throws IOException {
        sshd.stop(true);
        impostor.stop(true);
    }

    @Value("${local.server.port}")
    int port;

    private JsonNode run(String id) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/sources/" + id + "/run")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain(PASSWORD);
        return JSON.readTree(r.body());
    }

    /** The AML demo study as a zip in the site's outbox. */
    private static void upload(String name) throws IOException {
        AdapterHarness.zipAmlDemo(REMOTE.resolve("outbox").resolve(name));
    }

    @Test
    @Order(1)
    void aZipOnTheSiteFolderIsDeliveredThenMovedOnTheServer() throws Exception {
        upload("site07-2024-03.zip");
        JsonNode state = run("site07");
        assertThat(state.get("lastOutcome").asText()).as(state.toString()).isEqualTo("delivered");
        assertThat(state.get("lastDelivery").asText()).isEqualTo("site07-site07-2024-03");
        AdapterHarness.Outcome o = new AdapterHarness(DATA, port).awaitOutcome("site07-site07-2024-03", Duration.ofSeconds(120));
        assertThat(o.area()).as(o.report()).isEqualTo("done");
        assertThat(REMOTE.resolve("outbox/site07-2024-03.zip")).doesNotExist();
        assertThat(REMOTE.resolve("outbox/.delivered/site07-2024-03.zip")).exists();
        Patient p = new AdapterHarness(DATA, port).client().read().resource(Patient.class)
                .withId(FhirIds.fromKey("NKAML-P1-NKAML-P1-01-001")).execute();
        assertThat(p.getGender().toCode()).isEqualTo("male");
        assertThat(run("site07").get("lastOutcome").asText()).isEqualTo("unchanged");
        assertThat(state.get("system").toString()).doesNotContain(PASSWORD).contains("strictHostKeyChecking=yes");
    }

    @Test
    @Order(2)
    void aServerWithAnotherHostKeyIsRefusedAndItsFilesStay() throws Exception {
        upload("site07-2024-04.zip");
        JsonNode state = run("impostor");
        assertThat(state.get("lastOutcome").asText()).as(state.toString()).isEqualTo("failed");
        assertThat(state.get("lastError").asText()).doesNotContain(PASSWORD);
        assertThat(REMOTE.resolve("outbox/site07-2024-04.zip")).exists();
        try (Stream<Path> inbox = Files.list(DATA.resolve("inbox"))) {
            assertThat(inbox.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("2024-04"));
        }
    }
}
