package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.ingest.IngestProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles the mapping files once at start-up: from the configured folder (default ./mappings) or, when it
 * does not exist, the copy packaged in the jar. A broken file stops start-up with file, line and reason.
 */
@Configuration
public class MappingConfig {

    private static final Logger log = LoggerFactory.getLogger(MappingConfig.class);

    @Bean
    public MappingEngine mappingEngine(FhirContext fhirContext, IngestProperties props) throws IOException {
        MappingLoader loader = new MappingLoader(fhirContext);
        MappingSet set;
        if (Files.isDirectory(props.mappings())) {
            set = loader.loadDirectory(props.mappings());
            log.info("Loaded mappings for {} from {} (version {})", set.domains(), props.mappings().toAbsolutePath(), set.version());
        } else {
            Map<String, String> sources = new TreeMap<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:mappings/*.yaml")) {
                try (var in = r.getInputStream()) {
                    sources.put(r.getFilename(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            if (sources.isEmpty()) {
                throw new MappingDefinitionException(props.mappings().toString(), 0, "mapping folder not found and none packaged");
            }
            Map<String, String> terminology = new TreeMap<>();
            for (Resource r : new PathMatchingResourcePatternResolver().getResources("classpath*:mappings/terminology/*.json")) {
                try (var in = r.getInputStream()) {
                    terminology.put(r.getFilename(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            set = loader.load(sources, terminology);
            log.info("Loaded packaged mappings for {} (version {})", set.domains(), set.version());
        }
        return new MappingEngine(set, props.timezone());
    }
}
