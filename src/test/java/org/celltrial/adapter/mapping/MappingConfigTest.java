package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.hapi.ServedResourceTypes;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingConfigTest {

    private static final Path MAPPINGS = Path.of("mappings");

    @Test
    void theShippedMappingsProduceOnlyTypesTheShippedSettingServes() throws Exception {
        String served = shippedResourceTypes();
        MappingSet set = config(served).load();
        assertThat(set.domains()).contains("DM", "AE", "PR", "EX");
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

    /** celltrial.fhir.resource-types as application.yaml ships it. */
    private static String shippedResourceTypes() throws Exception {
        var yaml = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("application", new org.springframework.core.io.ClassPathResource("application.yaml"));
        StringBuilder types = new StringBuilder();
        for (int i = 0; ; i++) {
            Object t = yaml.get(0).getProperty(ServedResourceTypes.PROPERTY + "[" + i + "]");
            if (t == null) {
                break;
            }
            types.append(types.isEmpty() ? "" : ",").append(t);
        }
        assertThat(types).isNotEmpty();
        return types.toString();
    }
}
