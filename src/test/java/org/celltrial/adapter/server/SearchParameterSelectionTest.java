package org.celltrial.adapter.server;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchParameterSelectionTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();

    private static SearchParameter byUrl(List<SearchParameter> overrides, String url) {
        return overrides.stream().filter(sp -> sp.getUrl().equals(url)).findFirst().orElse(null);
    }

    private static List<String> bases(SearchParameter sp) {
        return sp.getBase().stream().map(CodeType::getCode).toList();
    }

    @Test
    void aSharedParameterIsNarrowedOnlyForTheListedTypeThatDoesNotKeepIt() {
        List<SearchParameter> overrides = SearchParameterSelection.overrides(CTX,
                Map.of("Procedure", List.of("code", "date"), "Observation", List.of("patient", "code")));
        // clinical-patient serves ~30 types: Procedure drops it, Observation and the unlisted ones keep it
        SearchParameter patient = byUrl(overrides, "http://hl7.org/fhir/SearchParameter/clinical-patient");
        assertThat(patient.getStatus()).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
        assertThat(bases(patient)).doesNotContain("Procedure").contains("Observation", "Condition", "Encounter");
        assertThat(patient.getIdElement().getIdPart()).isEqualTo("celltrial-sp-clinical-patient");
        // clinical-code is kept by both listed types that have it: no override at all
        assertThat(byUrl(overrides, "http://hl7.org/fhir/SearchParameter/clinical-code")).isNull();
        // a parameter only Procedure has, not kept: retired, which removes it
        SearchParameter performer = byUrl(overrides, "http://hl7.org/fhir/SearchParameter/Procedure-performer");
        assertThat(performer.getStatus()).isEqualTo(Enumerations.PublicationStatus.RETIRED);
        // Resource-level parameters (_id, _lastUpdated, _profile...) are HAPI's own business
        assertThat(overrides).noneMatch(sp -> bases(sp).contains("Resource"));
        // nothing is touched for a type that is not listed
        assertThat(overrides).noneMatch(sp -> bases(sp).equals(List.of("Encounter")));
    }

    @Test
    void anEmptySelectionChangesNothing() {
        assertThat(SearchParameterSelection.overrides(CTX, Map.of())).isEmpty();
    }

    @Test
    void aTypoStopsTheStartNamingTypeAndCode() {
        assertThatThrownBy(() -> SearchParameterSelection.overrides(CTX, Map.of("Procedure", List.of("cdoe"))))
                .hasMessageContaining("celltrial.fhir.search-parameters.Procedure: 'cdoe' is not a search parameter of Procedure")
                .hasMessageContaining("code, date");
        assertThatThrownBy(() -> SearchParameterSelection.overrides(CTX, Map.of("Procedures", List.of("code"))))
                .hasMessageContaining("'Procedures' is not a FHIR R4 resource type");
        assertThatThrownBy(() -> SearchParameterSelection.overrides(CTX, Map.of("Procedure", List.of("_lastUpdated"))))
                .hasMessageContaining("always indexed");
    }

    @Test
    void aCompositeParameterNeedsItsComponents() {
        assertThatThrownBy(() -> SearchParameterSelection.overrides(CTX, Map.of("Observation", List.of("code", "code-value-quantity"))))
                .hasMessageContaining("'code-value-quantity' is built from 'value-quantity', which must be listed too");
        assertThat(SearchParameterSelection.overrides(CTX, Map.of("Observation", List.of("code", "value-quantity", "code-value-quantity"))))
                .isNotEmpty();
    }

    /** The shipped selection (first document of application.yaml). */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> shippedSelection() throws java.io.IOException {
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("src/main/resources/application.yaml"))) {
            Map<String, Object> doc = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().loadAll(in).iterator().next();
            Map<String, Object> fhir = (Map<String, Object>) ((Map<String, Object>) doc.get("celltrial")).get("fhir");
            return (Map<String, List<String>>) fhir.get("search-parameters");
        }
    }

    @Test
    void subjectIsServedFromTheRowsOfPatientWhereBothArePathsToTheSameElement() throws Exception {
        Map<String, List<String>> selection = shippedSelection();
        assertThat(selection.get("Procedure")).contains("patient").doesNotContain("subject");
        List<SearchParameter> overrides = SearchParameterSelection.overrides(CTX, selection);
        for (String type : List.of("Procedure", "MedicationAdministration", "Observation")) {
            SearchParameter subject = byUrl(overrides, "http://hl7.org/fhir/SearchParameter/" + type + "-subject");
            assertThat(subject.getStatus()).as(type).isEqualTo(Enumerations.PublicationStatus.ACTIVE);
            assertThat(bases(subject)).containsExactly(type);
            // the very alternative clinical-patient has for the type: HAPI writes one row for both
            assertThat(subject.getExpression()).isEqualTo(type + ".subject.where(resolve() is Patient)");
        }
        // a parameter that reads another element stays off (Procedure performer, Observation performer)
        assertThat(byUrl(overrides, "http://hl7.org/fhir/SearchParameter/Procedure-performer").getStatus())
                .isEqualTo(Enumerations.PublicationStatus.RETIRED);
        // every sibling found, for the record: each must be an alternative a selected parameter of its type has
        Map<String, Map<String, String>> siblings = SharedReferenceRows.siblings(coreParameters(), selection);
        assertThat(siblings.keySet()).containsExactlyInAnyOrder("Procedure", "MedicationAdministration", "Observation");
        siblings.forEach((type, served) -> assertThat(served).as(type).containsOnlyKeys("subject"));
    }

    @Test
    void eitherOfTwoParametersOnOneElementIsServedFromTheOthersRows() {
        Map<String, Map<String, String>> siblings = SharedReferenceRows.siblings(coreParameters(),
                Map.of("Observation", List.of("subject")));
        // patient asks for Patient targets of Observation.subject: the rows of subject (any target) hold them all
        assertThat(siblings.get("Observation")).containsEntry("patient", "Observation.subject");
        assertThat(SharedReferenceRows.siblings(coreParameters(), Map.of("Observation", List.of("patient"))).get("Observation"))
                .containsEntry("subject", "Observation.subject.where(resolve() is Patient)")
                .doesNotContainKey("performer"); // another element: its rows are not written
    }

    private static List<SearchParameter> coreParameters() {
        return FhirContext.forR4Cached().getValidationSupport().fetchAllSearchParameters().stream()
                .map(SearchParameter.class::cast).toList();
    }
}
