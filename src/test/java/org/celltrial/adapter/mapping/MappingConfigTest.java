package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.hapi.ServedResourceTypes;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingConfigTest {

    private static final Path MAPPINGS = Path.of("mappings");

    @Test
    void theShippedMappingsLoadWithAllTypesServedAndWithTheDefaultList() throws Exception {
        assertThat(config("all").load().domains()).contains("DM", "AE", "PR", "EX");
        MockEnvironment shipped = new MockEnvironment();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(shipped.getPropertySources()::addLast);
        assertThat(ServedResourceTypes.from(shipped).servesAll()).as("application.yaml lists the served types").isFalse();
        assertThat(new MappingConfig(FhirContext.forR4Cached(), new MappingProperties(MAPPINGS, "Z"), shipped).load().domains())
                .contains("DM", "AE", "PR", "EX");
    }

    @Test
    void aMappingProducingATypeNotServedStopsTheLoadNamingItsFileAndTheSetting() {
        assertThatThrownBy(() -> config("Patient, ResearchStudy, ResearchSubject").load())
                .isInstanceOf(MappingDefinitionException.class)
                .hasMessageContaining("a resource type the server does not serve")
                .hasMessageContaining(ServedResourceTypes.PROPERTY)
                .hasMessageContaining(".yaml");
    }

    private static MappingConfig config(String servedTypes) {
        return new MappingConfig(FhirContext.forR4Cached(), new MappingProperties(MAPPINGS, "Z"),
                new MockEnvironment().withProperty(ServedResourceTypes.PROPERTY, servedTypes));
    }
}
