package org.celltrial.adapter.guard;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin access for browser applications, under {@code celltrial.server.cors} (README, "Security notes"). Off
 * while {@code allowed-origins} is empty: browsers then let no other site's page read our answers.
 */
@ConfigurationProperties(prefix = "celltrial.server.cors")
public record CorsProperties(
        List<String> allowedOrigins,
        List<String> paths,
        List<String> allowedMethods,
        List<String> allowedHeaders,
        List<String> exposedHeaders,
        boolean allowCredentials,
        Duration maxAge) {

    public CorsProperties {
        // an empty CELLTRIAL_CORS_ALLOWED_ORIGINS binds as one blank origin
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList();
        paths = paths == null || paths.isEmpty() ? List.of("/fhir/**") : List.copyOf(paths);
        allowedMethods = allowedMethods == null || allowedMethods.isEmpty() ? List.of("GET", "HEAD", "POST") : List.copyOf(allowedMethods);
        allowedHeaders = allowedHeaders == null || allowedHeaders.isEmpty()
                ? List.of("Authorization", "Content-Type", "Accept", "Prefer", "If-None-Match", "If-Modified-Since")
                : List.copyOf(allowedHeaders);
        exposedHeaders = exposedHeaders == null ? List.of("Location", "Content-Location", "ETag", "Last-Modified", "Retry-After")
                : List.copyOf(exposedHeaders);
        maxAge = maxAge == null ? Duration.ofMinutes(30) : maxAge;
        if (allowedOrigins.contains("*") && allowCredentials) {
            throw new IllegalStateException("celltrial.server.cors: allowed-origins '*' cannot be combined with allow-credentials");
        }
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }
}
