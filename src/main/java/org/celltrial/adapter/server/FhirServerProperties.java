package org.celltrial.adapter.server;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the embedded FHIR server, under {@code celltrial.fhir} in application.yaml. */
@ConfigurationProperties(prefix = "celltrial.fhir")
public record FhirServerProperties(
        String path,
        int defaultPageSize,
        int maxPageSize,
        String publicBaseUrl,
        boolean readOnly,
        long reuseCachedSearchResultsMs,
        java.util.Map<String, java.util.List<String>> searchParameters) {

    public FhirServerProperties {
        if (path == null || path.isBlank()) path = "/fhir";
        if (defaultPageSize <= 0) defaultPageSize = 20;
        if (maxPageSize <= 0) maxPageSize = 500;
        searchParameters = searchParameters == null ? java.util.Map.of() : java.util.Map.copyOf(searchParameters);
    }
}
