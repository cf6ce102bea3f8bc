package org.celltrial.adapter.mapping;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Where the mapping files are and which zone SDTM times get. They sit under {@code celltrial.ingest} in
 * application.yaml, where they have always been documented, but belong to the mapping engine, which must not depend
 * on the ingest above it.
 *
 * @param mappings the mapping folder ({@code celltrial.ingest.mappings}; default ./mappings)
 * @param timezone zone given to SDTM times, which carry none ({@code celltrial.ingest.timezone}; default Z)
 */
@ConfigurationProperties(prefix = "celltrial.ingest")
public record MappingProperties(Path mappings, String timezone) {

    public MappingProperties {
        if (mappings == null) mappings = Path.of("mappings");
        if (timezone == null || timezone.isBlank()) timezone = "Z";
    }
}
