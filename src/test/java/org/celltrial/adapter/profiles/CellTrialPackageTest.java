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
        // 18 StructureDefinitions (7 profiles, 11 extensions), 7 ValueSets, 1 CodeSystem, 1 ConceptMap; no IG, no examples
        assertThat(pkg.conformanceResources()).hasSize(27);
        assertThat(pkg.byUrl(SD + "provenance-entity-target")).get().isInstanceOf(StructureDefinition.class);
        assertThat(pkg.profiles()).hasSize(7);
        assertThat(pkg.byUrl(SD + "sdtm-study-day")).get().isInstanceOf(StructureDefinition.class);
        assertThat(pkg.byUrl("https://fhir.celltrial.org/ValueSet/ctcae-grades|0.1.0")).isPresent();
        assertThat(pkg.byUrl("https://fhir.celltrial.org/CodeSystem/celltrial-concepts")).isPresent();
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
                "MedicationAdministration", "AdverseEvent", "Observation");
        assertThat(pkg.defaultProfile("Patient")).contains(SD + "celltrial-patient");
        assertThat(pkg.defaultProfile("MedicationAdministration")).contains(SD + "cellproduct-administration");
        assertThat(pkg.defaultProfile("Observation")).contains(SD + "clinical-event-observation");
        assertThat(pkg.defaultProfile("Extension")).isEmpty();
        assertThat(pkg.defaultProfile("Condition")).isEmpty();
    }
}
