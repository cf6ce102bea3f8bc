package org.celltrial.adapter.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import ca.uhn.fhir.rest.server.util.FhirContextSearchParamRegistry;
import org.celltrial.adapter.cli.StudyMapper;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.celltrial.adapter.cli.DemoStudyResources;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our extractor must give exactly what HAPI's FHIRPath-based one gives: the same values for every expression of every
 * R4 search parameter, and the same index rows, over the demo studies, a synthetic study and resources made to hit the
 * cases left to the engine (contained, absolute and urn references, choice types of other types, extension-only values).
 */
class SimplePathSearchParamExtractorTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final List<String> RESOURCE_LEVEL = List.of("Resource.meta.profile", "Resource.meta.tag",
            "Resource.meta.security", "Resource.meta.source", "Resource.id", "Resource.meta.lastUpdated",
            "DomainResource.text", "Resource.language");

    private static final List<Resource> resources = new ArrayList<>();
    private static SearchParamExtractorR4 hapi;
    private static SimplePathSearchParamExtractor ours;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        FhirContextSearchParamRegistry registry = new FhirContextSearchParamRegistry(CTX);
        hapi = new SearchParamExtractorR4(new StorageSettings(), new PartitionSettings(), CTX, registry);
        ours = new SimplePathSearchParamExtractor(new StorageSettings(), new PartitionSettings(), CTX, registry);
        resources.addAll(DemoStudyResources.map(CTX));
        SyntheticStudyGenerator.write(dir, "PATHS-1", 15, 5);
        StudyMapper.Result mapped = StudyMapper.map(dir, Path.of("mappings"));
        assertThat(mapped.rejected()).isEmpty();
        mapped.resources().all().forEach(m -> resources.add(m.resource()));
        resources.addAll(edgeCases());
    }

    @Test
    void sameValuesForEveryExpressionOfEveryResource() {
        int compared = 0;
        int simple = 0;
        for (Resource resource : resources) {
            for (String path : expressions(resource.fhirType())) {
                Object expected = valuesOrError(hapi, path, resource);
                Object actual = valuesOrError(ours, path, resource);
                assertThat(describe(actual)).as(resource.getIdElement().getValue() + " " + path)
                        .isEqualTo(describe(expected));
                if (expected instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        Object a = ((List<?>) actual).get(i);
                        Object e = list.get(i);
                        assertThat(a == e || ((Base) a).equalsDeep((Base) e)).as(path + " element " + i).isTrue();
                    }
                }
                compared++;
                if (SimplePathSearchParamExtractor.isSimple(path)) {
                    simple++;
                }
            }
        }
        assertThat(resources).hasSizeGreaterThan(300);
        assertThat(compared).isGreaterThan(50_000);
        // most of FHIR's expressions take the simple path, so this comparison is about ours, not the engine's twice
        assertThat(simple).isGreaterThan(compared * 3 / 4);
    }

    @Test
    void sameIndexRows() {
        for (Resource resource : resources) {
            String what = resource.getIdElement().getValue();
            assertThat(ours.extractSearchParamTokens(resource)).as(what).isEqualTo(hapi.extractSearchParamTokens(resource));
            assertThat(ours.extractSearchParamDates(resource)).as(what).isEqualTo(hapi.extractSearchParamDates(resource));
            assertThat(ours.extractSearchParamUri(resource)).as(what).isEqualTo(hapi.extractSearchParamUri(resource));
            assertThat(ours.extractSearchParamStrings(resource)).as(what).isEqualTo(hapi.extractSearchParamStrings(resource));
            assertThat(ours.extractSearchParamQuantity(resource)).as(what).isEqualTo(hapi.extractSearchParamQuantity(resource));
            assertThat(ours.extractSearchParamNumber(resource)).as(what).isEqualTo(hapi.extractSearchParamNumber(resource));
            assertThat(describeLinks(ours.extractResourceLinks(resource, false)))
                    .as(what).isEqualTo(describeLinks(hapi.extractResourceLinks(resource, false)));
        }
    }

    @Test
    void theSelectedSearchParametersAllTakeTheSimplePath() {
        Map<String, List<String>> selected = Map.of(
                "Patient", List.of("identifier", "name", "family", "given", "gender", "birthdate"),
                "ResearchSubject", List.of("identifier", "individual", "patient", "study", "status", "date"),
                "Procedure", List.of("identifier", "patient", "code", "category", "date", "status", "based-on", "part-of"),
                "MedicationAdministration", List.of("identifier", "patient", "code", "medication", "effective-time", "status", "context"),
                "AdverseEvent", List.of("subject", "study", "event", "category", "date", "seriousness", "severity", "actuality"),
                "Observation", List.of("identifier", "patient", "code", "category", "date", "status", "focus"),
                "Provenance", List.of("target", "patient", "entity", "recorded", "agent"));
        Set<String> notSimple = new TreeSet<>();
        selected.forEach((type, names) -> names.forEach(name -> {
            RuntimeSearchParam sp = CTX.getResourceDefinition(type).getSearchParam(name);
            for (String path : ours.split(sp.getPath())) {
                if (!SimplePathSearchParamExtractor.isSimple(path.trim())) {
                    notSimple.add(type + "." + name + ": " + path);
                }
            }
        }));
        assertThat(notSimple).isEmpty();
        assertThat(SimplePathSearchParamExtractor.isSimple("Resource.meta.profile")).isTrue();
    }

    @Test
    void otherExpressionsAreLeftToTheEngine() {
        assertThat(SimplePathSearchParamExtractor.isSimple("Patient.name.where(use = 'official')")).isFalse();
        assertThat(SimplePathSearchParamExtractor.isSimple("Observation.subject.where(resolve() is Resource)")).isFalse();
        assertThat(SimplePathSearchParamExtractor.isSimple("Observation.value.as(Quantity)")).isFalse();
        // unknown types: the engine refuses "as" and resolves nothing; it gets to say so itself
        assertThat(SimplePathSearchParamExtractor.isSimple("(Observation.value as quantity)")).isFalse();
        assertThat(SimplePathSearchParamExtractor.isSimple("Observation.subject.where(resolve() is Foo)")).isFalse();
        assertThat(SimplePathSearchParamExtractor.isSimple("(Observation.value as Quantity)")).isTrue();
        assertThat(SimplePathSearchParamExtractor.isSimple("(RiskAssessment.occurrence as dateTime)")).isTrue();
        assertThat(SimplePathSearchParamExtractor.isSimple("Bundle.entry[0].resource")).isFalse();
        assertThat(SimplePathSearchParamExtractor.isSimple("Patient.extension('http://x').value")).isFalse();
    }

    private static Set<String> expressions(String type) {
        Set<String> paths = new LinkedHashSet<>(RESOURCE_LEVEL);
        // HAPI also evaluates the other types' alternatives of a shared parameter ("AllergyIntolerance.code | ...")
        for (String t : List.of(type, "AllergyIntolerance", "CarePlan", "RiskAssessment", "MedicationRequest", "Bundle",
                "ConceptMap", "Encounter")) {
            paths.addAll(ownExpressions(t));
        }
        return paths;
    }

    private static Set<String> ownExpressions(String type) {
        Set<String> paths = new LinkedHashSet<>();
        for (RuntimeSearchParam sp : CTX.getResourceDefinition(type).getSearchParams()) {
            if (sp.getPath() != null && !sp.getPath().isBlank()) {
                for (String p : hapi.split(sp.getPath())) {
                    paths.add(p.trim());
                }
            }
        }
        return paths;
    }

    private static Object valuesOrError(SearchParamExtractorR4 extractor, String path, Resource resource) {
        try {
            return extractor.extractValues(path, resource);
        } catch (RuntimeException e) {
            return "error: " + e.getClass().getSimpleName();
        }
    }

    private static Object describe(Object valuesOrError) {
        if (valuesOrError instanceof List<?> list) {
            return list.stream().map(v -> v == null ? "null" : ((IBase) v).fhirType()).toList();
        }
        return valuesOrError;
    }

    private static List<String> describeLinks(ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor.SearchParamSet<?> links) {
        Function<Object, String> text = Object::toString;
        return links.stream().map(text).sorted().toList();
    }

    /** Resources shaped to reach what the simple path hands to the engine, or must treat exactly like it. */
    private static List<Resource> edgeCases() {
        List<Resource> edge = new ArrayList<>();
        Patient contained = new Patient();
        contained.setId("p1");
        Procedure procedure = new Procedure();
        procedure.setId("Procedure/edge-1");
        procedure.getContained().add(contained);
        procedure.setSubject(new Reference("#p1"));
        procedure.addPerformer().setActor(new Reference("http://example.org/fhir/Practitioner/9"));
        procedure.addReasonReference(new Reference("urn:uuid:2b1f3c7e-0000-4000-8000-000000000001"));
        procedure.addBasedOn(new Reference().setIdentifier(new Identifier().setValue("order-1")));
        procedure.setPerformed(new Period().setStartElement(new DateTimeType("2021-03-04")));
        procedure.addIdentifier().setSystem("urn:a").setValue("1");
        procedure.addIdentifier().setSystem("urn:b").setValue("2");
        edge.add(procedure);

        MedicationAdministration byReference = new MedicationAdministration();
        byReference.setId("MedicationAdministration/edge-2");
        byReference.setMedication(new Reference("Medication/m1"));
        byReference.setSubject(new Reference("Group/g1"));
        byReference.setEffective(new Period().setStartElement(new DateTimeType("2021-03-05T10:00:00Z")));
        edge.add(byReference);

        MedicationAdministration byCode = new MedicationAdministration();
        byCode.setId("MedicationAdministration/edge-3");
        byCode.setMedication(new CodeableConcept(new Coding("http://snomed.info/sct", "1", "x")));
        byCode.setSubject(new Reference("Patient/pt-1/_history/2"));
        DateTimeType extensionOnly = new DateTimeType();
        extensionOnly.addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                new StringType("unknown")));
        byCode.setEffective(extensionOnly);
        edge.add(byCode);

        Observation observation = new Observation();
        observation.setId("Observation/edge-4");
        observation.setValue(new Quantity().setValue(4.5).setSystem("http://unitsofmeasure.org").setCode("mg"));
        observation.setSubject(new Reference("Patient"));
        observation.addFocus(new Reference("Patient/pt-2"));
        observation.addFocus(new Reference("Procedure/pr-2"));
        observation.getCode().addCoding(new Coding("http://loinc.org", "1-8", null)).setText("text");
        observation.getMeta().addProfile("https://example.org/p").addTag("urn:t", "t", null).setSource("urn:s");
        edge.add(observation);

        Patient patient = new Patient();
        patient.setId("Patient/edge-5");
        patient.addName().setFamily("A").addGiven("B").addGiven("C");
        patient.addName().setFamily("D");
        patient.addLink().setOther(new Reference("Patient/edge-6"));
        patient.addGeneralPractitioner(new Reference("Practitioner/gp"));
        patient.getManagingOrganization().setReference("Organization/o1");
        edge.add(patient);

        Provenance provenance = new Provenance();
        provenance.setId("Provenance/edge-7");
        provenance.addTarget(new Reference("Patient/pt-1"));
        provenance.addTarget(new Reference("Procedure/pr-1"));
        provenance.addTarget(new Reference("#c"));
        provenance.addAgent().setWho(new Reference("Device/d1"));
        provenance.addEntity().setWhat(new Reference("DocumentReference/dr1"));
        edge.add(provenance);
        return edge;
    }
}
