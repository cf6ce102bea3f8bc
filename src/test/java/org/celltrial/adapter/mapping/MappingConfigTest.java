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
    void theShippedMappingsLoadWithAllTypesServedAndWithTheListApplicationYamlSuggests() {
        assertThat(config("all").load().domains()).contains("DM", "AE", "PR", "EX");
        assertThat(config(SUGGESTED).load().domains()).contains("DM", "AE", "PR", "EX");
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

    /** The list application.yaml's comment suggests for the shipped mappings. */
    private static final String SUGGESTED = "Patient, ResearchStudy, ResearchSubject, Procedure, MedicationAdministration, "
            + "MedicationStatement, AdverseEvent, Observation, Condition, Encounter, EpisodeOfCare, Device, List, PlanDefinition, "
            + "Group, Provenance, AuditEvent, Binary, Subscription, StructureDefinition, ValueSet, CodeSystem, ConceptMap, "
            + "ImplementationGuide, SearchParameter, Task";
}
