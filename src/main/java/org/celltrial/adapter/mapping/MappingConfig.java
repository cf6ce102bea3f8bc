package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.hapi.ServedResourceTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles the mapping files once at start-up: from the configured folder (default ./mappings) or, when it
 * does not exist, the copy packaged in the jar. A broken file stops start-up with file, line and reason.
 * {@link #load()} is also what a reload (POST /api/mappings/reload) runs.
 */
@Configuration
public class MappingConfig {

    private static final Logger log = LoggerFactory.getLogger(MappingConfig.class);

    private final FhirContext fhirContext;
    private final MappingProperties props;
    private final ServedResourceTypes served;

    public MappingConfig(FhirContext fhirContext, MappingProperties props, Environment env) {
        this.fhirContext = fhirContext;
        this.props = props;
        this.served = ServedResourceTypes.from(env);
    }

    @Bean
    public MappingEngine mappingEngine() {
        return new MappingEngine(load(), props.timezone());
    }

    public MappingSet load() {
        MappingLoader loader = new MappingLoader(fhirContext);
        MappingSet set;
        if (Files.isDirectory(props.mappings())) {
            // the SDTM mappings and every mapping set (subfolder), see MappingFolders
            set = loader.load(MappingFolders.mappingFiles(props.mappings()), MappingFolders.terminology(props.mappings()));
            checkServed(set);
            log.info("Loaded mappings for {} from {} (version {})", set.domains(), props.mappings().toAbsolutePath(), set.version());
            return set;
        }
        Map<String, String> sources = classpath("classpath*:mappings/*.yaml");
        sources.putAll(classpath("classpath*:mappings/*/*.yaml")); // mapping sets, named set/file.yaml
        if (sources.isEmpty()) {
            throw new MappingDefinitionException(props.mappings().toString(), 0, "mapping folder not found and none packaged");
        }
        set = loader.load(sources, classpath("classpath*:mappings/terminology/*.json"));
        checkServed(set);
        log.info("Loaded packaged mappings for {} (version {})", set.domains(), set.version());
        return set;
    }

    /** A mapping must not produce a type the server does not serve: nothing could store it. */
    private void checkServed(MappingSet set) {
        for (DomainMapping m : set.all()) {
            for (ResourceRule r : m.resources()) {
                if (!served.serves(r.resourceType())) {
                    throw new MappingDefinitionException(m.sourceFile(), m.domainLine(), "produces " + r.resourceType()
                            + ", a resource type the server does not serve: add it to " + ServedResourceTypes.PROPERTY
                            + " in application.yaml");
                }
            }
        }
    }

    private static Map<String, String> classpath(String pattern) {
        Map<String, String> files = new TreeMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(pattern)) {
                try (var in = r.getInputStream()) {
                    String url = r.getURL().toString();
                    String name = pattern.contains("/*/") ? url.substring(url.lastIndexOf('/', url.lastIndexOf('/') - 1) + 1)
                            : r.getFilename();
                    files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
