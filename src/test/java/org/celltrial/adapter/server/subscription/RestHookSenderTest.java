package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import com.sun.net.httpserver.HttpServer;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class RestHookSenderTest {

    record Hit(String method, String path, String contentType, String auth, String body) {
    }

    private HttpServer server;
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;
    private final RestHookSender sender = new RestHookSender(FhirContext.forR4Cached(), Duration.ofSeconds(2), Duration.ofSeconds(5));

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            hits.add(new Hit(ex.getRequestMethod(), ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Content-Type"),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (answer == 302) {
                ex.getResponseHeaders().add("Location", "http://169.254.169.254/");
            }
            ex.sendResponseHeaders(answer, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private static Procedure procedure() {
        Procedure p = new Procedure();
        p.setId("Procedure/P-1/_history/2");
        p.setStatus(Procedure.ProcedureStatus.COMPLETED);
        return p;
    }

    @Test
    void withAPayloadTheResourceIsPutUnderTheEndpointWithTheHeaders() {
        RestHookSubscription s = new RestHookSubscription("s1", "Procedure?status=completed", "Procedure", endpoint(),
                "application/fhir+json", List.of("Authorization: Bearer abc"), "local", null);
        assertThat(sender.send(s, procedure()).delivered()).isTrue();
        Hit hit = hits.get(0);
        assertThat(hit.method()).isEqualTo("PUT");
        assertThat(hit.path()).isEqualTo("/hook/Procedure/P-1");
        assertThat(hit.contentType()).startsWith("application/fhir+json");
        assertThat(hit.auth()).isEqualTo("Bearer abc");
        assertThat(hit.body()).contains("\"resourceType\":\"Procedure\"").contains("completed");
    }

    @Test
    void withoutAPayloadAnEmptyPost() {
        RestHookSubscription s = new RestHookSubscription("s1", "Procedure?status=completed", "Procedure", endpoint(),
                null, List.of(), "local", null);
        assertThat(sender.send(s, procedure()).delivered()).isTrue();
        assertThat(hits.get(0).method()).isEqualTo("POST");
        assertThat(hits.get(0).path()).isEqualTo("/hook");
        assertThat(hits.get(0).body()).isEmpty();
    }

    @Test
    void anErrorOrARedirectIsAFailureNamingOnlyTheStatus() {
        RestHookSubscription s = new RestHookSubscription("s1", "Procedure?", "Procedure", endpoint(), null, List.of(), "local", null);
        answer = 500;
        assertThat(sender.send(s, procedure())).isEqualTo(new RestHookSender.Outcome(false, "HTTP 500"));
        answer = 302;
        assertThat(sender.send(s, procedure())).isEqualTo(new RestHookSender.Outcome(false, "HTTP 302"));
        assertThat(hits).hasSize(2);
        server.stop(0);
        assertThat(sender.send(s, procedure()).delivered()).isFalse();
    }
}
