package org.celltrial.adapter.ingest.source;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/** {@code celltrial.sources}: the sources pulled besides the inbox (none by default). */
@ConfigurationProperties(prefix = "celltrial")
public record SourcesProperties(List<SourceDefinition> sources) {

    public SourcesProperties {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
