package org.celltrial.adapter.server.subscription;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointCheckTest {

    private final EndpointCheck production = new EndpointCheck(false);

    @Test
    void onlyHttpAndHttpsWithAHostAndNoUserInfo() {
        assertThat(production.refusal(null)).contains("required");
        assertThat(production.refusal("ftp://10.1.2.3/x")).contains("http or https");
        assertThat(production.refusal("file:///etc/passwd")).contains("http or https");
        assertThat(production.refusal("mailto:x@y.org")).contains("http or https");
        assertThat(production.refusal("https://user:pw@10.1.2.3/fhir")).contains("user info");
        assertThat(production.refusal("http:///fhir")).isNotNull();
        assertThat(production.refusal("https://10.1.2.3/fhir")).isNull();      // a hospital network
        assertThat(production.refusal("http://192.168.7.20:8080/ehr")).isNull();
    }

    @Test
    void thisMachineAndLinkLocalAreRefusedUnlessAllowed() {
        for (String url : new String[]{"http://127.0.0.1:8080/fhir", "http://localhost/x", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data", "http://0.0.0.0/x", "http://[fe80::1]/x"}) {
            assertThat(production.refusal(url)).as(url).contains("loopback");
            assertThat(new EndpointCheck(true).refusal(url)).as(url).isNull();
        }
    }

    @Test
    void backoffDoublesUpToItsBound() {
        SubscriptionProperties p = new SubscriptionProperties(true, false, null, Duration.ofSeconds(2),
                Duration.ofSeconds(10), 0, 0, null, null);
        assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.backoffAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(p.backoffAfter(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.backoffAfter(40)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.maxAttempts()).isEqualTo(30);
        assertThat(p.errorAfterFailures()).isEqualTo(3);
    }
}
