package org.celltrial.adapter.profiles;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CellTrialPackageTest {

    private static final String SD = "https://fhir.celltrial.org/StructureDefinition/";

    @Test
    void loadsTheConformanceResourcesOfOurIgFromTheClasspath() {
        CellTrialPackage pkg = Validators.pkg();
        assertThat(pkg.conformanceResources()).extracting(r -> Validators.CTX.getResourceType(r)).containsOnly(
                "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap");
        // 42 StructureDefinitions (18 profiles, 24 extensions), 8 ValueSets, 2 CodeSystems, 1 ConceptMap; no IG, no examples
        assertThat(pkg.conformanceResources()).hasSize(53);
        assertThat(pkg.byUrl(SD + "provenance-entity-target")).get().isInstanceOf(StructureDefinition.class);
        assertThat(pkg.profiles()).hasSize(18);
        assertThat(pkg.byUrl(SD + "sdtm-study-day")).get().isInstanceOf(StructureDefinition.class);
        assertThat(pkg.byUrl("https://fhir.celltrial.org/ValueSet/ctcae-grades|0.1.0")).isPresent();
        assertThat(pkg.byUrl("https://fhir.celltrial.org/CodeSystem/celltrial-concepts")).isPresent();
        assertThat(pkg.byUrl("https://fhir.celltrial.org/CodeSystem/data-quality-issue-type")).isPresent();
        assertThat(pkg.byUrl(SD + "data-quality-issue")).get().isInstanceOf(StructureDefinition.class);
        assertThat(pkg.byUrl("https://fhir.celltrial.org/ImplementationGuide/celltrial.fhir.adapter")).isEmpty();
        assertThat(pkg.byUrl("http://hl7.org/fhir/StructureDefinition/Patient")).isEmpty();
        for (IBaseResource r : pkg.conformanceResources()) {
            assertThat(r.getIdElement().getIdPart()).doesNotStartWith("NKAML").doesNotStartWith("NKNB");
        }
    }

    @Test
    void knowsTheDefaultProfileOfEachResourceType() {
        CellTrialPackage pkg = Validators.pkg();
        assertThat(pkg.defaultProfiles()).containsOnlyKeys("Patient", "ResearchStudy", "ResearchSubject", "Procedure",
                "MedicationAdministration", "AdverseEvent", "Condition", "MedicationStatement", "Encounter",
                "EpisodeOfCare", "PlanDefinition", "Group", "List", "Device");
        assertThat(pkg.defaultProfile("Patient")).contains(SD + "celltrial-patient");
        assertThat(pkg.defaultProfile("MedicationAdministration")).contains(SD + "cellproduct-administration");
        assertThat(pkg.defaultProfile("Condition")).contains(SD + "celltrial-medical-history");
        // four Observation profiles (clinical-event-observation, sdtm-finding, sdtm-event-observation,
        // sdtm-supplemental-qualifier): no default, an Observation must name its profile in meta.profile
        assertThat(pkg.defaultProfile("Observation")).isEmpty();
        assertThat(pkg.defaultProfile("Extension")).isEmpty();
        assertThat(pkg.defaultProfile("Specimen")).isEmpty();
    }
}
