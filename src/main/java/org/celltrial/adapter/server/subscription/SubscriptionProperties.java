package org.celltrial.adapter.server.subscription;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * R4 rest-hook Subscriptions (README, "Subscriptions (rest-hook)"), under {@code celltrial.subscriptions}.
 *
 * @param enabled               whether clients may register Subscriptions and are notified (default true)
 * @param allowLocalEndpoints   allow endpoints on loopback, link-local (169.254.x.x, fe80::) or unspecified addresses;
 *                              off by default: a Subscription must not make the server call itself or a cloud
 *                              metadata service (SSRF). Private networks (10.x, 192.168.x) are allowed: hospital EHRs
 *                              live there
 * @param pollInterval          how often the dispatcher looks for due notifications (it is also woken at each commit
 *                              that queued one)
 * @param initialBackoff        the wait after a first failed delivery; doubled after each further failure
 * @param maxBackoff            the longest wait between two attempts
 * @param maxAttempts           attempts per notification; then it is dropped (logged) and the Subscription stays in
 *                              {@code error}
 * @param errorAfterFailures    consecutive failed attempts after which the Subscription's status becomes {@code error}
 * @param connectTimeout        connecting to an endpoint
 * @param requestTimeout        a whole delivery request
 */
@ConfigurationProperties(prefix = "celltrial.subscriptions")
public record SubscriptionProperties(Boolean enabled, boolean allowLocalEndpoints, Duration pollInterval,
                                     Duration initialBackoff, Duration maxBackoff, int maxAttempts,
                                     int errorAfterFailures, Duration connectTimeout, Duration requestTimeout) {

    public SubscriptionProperties {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
        initialBackoff = initialBackoff == null ? Duration.ofSeconds(2) : initialBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(5) : maxBackoff;
        maxAttempts = maxAttempts <= 0 ? 30 : maxAttempts;
        errorAfterFailures = errorAfterFailures <= 0 ? 3 : errorAfterFailures;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(15) : requestTimeout;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** The wait before attempt {@code failures + 1}, after {@code failures} failed ones (at least one). */
    public Duration backoffAfter(int failures) {
        Duration d = initialBackoff;
        for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
