package org.celltrial.adapter.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.celltrial.adapter.mapping.MappingProperties;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Stores our IG's conformance resources (StructureDefinitions, ValueSets, CodeSystems, ConceptMaps from
 * fhir-profiles/) and the terminology ConceptMaps of mappings/ in the FHIR server at start, so that they are
 * retrievable by canonical url, listed as supported profiles, and used by {@code $validate}. Each is written
 * to its own id: an unchanged resource creates no new version.
 */
@Component
@Order(0)
public class ConformanceResourceInstaller implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ConformanceResourceInstaller.class);
    private static final Set<String> CONFORMANCE = Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap");

    private final FhirContext ctx;
    private final DaoRegistry daoRegistry;
    private final MappingProperties mappingProperties;

    public ConformanceResourceInstaller(FhirContext ctx, DaoRegistry daoRegistry, MappingProperties mappingProperties) {
        this.ctx = ctx;
        this.daoRegistry = daoRegistry;
        this.mappingProperties = mappingProperties;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        List<String> jsons = new ArrayList<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (Resource r : resolver.getResources("classpath*:fhir-profiles/resources/*.json")) {
            jsons.add(read(r));
        }
        Path terminology = mappingProperties.mappings().resolve("terminology");
        if (Files.isDirectory(terminology)) {
            try (Stream<Path> s = Files.list(terminology)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    jsons.add(Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        } else {
            for (Resource r : resolver.getResources("classpath*:mappings/terminology/*.json")) {
                jsons.add(read(r));
            }
        }
        int stored = 0;
        for (String json : jsons) {
            IBaseResource resource = ctx.newJsonParser().parseResource(json);
            String type = ctx.getResourceType(resource);
            if (!CONFORMANCE.contains(type)) {
                continue; // examples and the ImplementationGuide stay in the IG package
            }
            daoRegistry.getResourceDao(type).update(resource, new SystemRequestDetails());
            stored++;
        }
        log.info("Installed {} conformance resources of our IG and mappings", stored);
    }

    private static String read(Resource r) throws IOException {
        try (InputStream in = r.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
