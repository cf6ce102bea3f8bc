package org.celltrial.adapter.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.jpa.dao.ResourceHistoryCalculator;
import ca.uhn.fhir.jpa.dao.SinglePassHashResourceHistoryCalculator;
import ca.uhn.fhir.jpa.model.entity.ResourceEncodingEnum;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import jakarta.persistence.Table;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrade canaries for what {@code org.celltrial.adapter.hapi} relies on in HAPI FHIR and the HL7 validator without an
 * API promising it (every such place is marked {@code HAPI-COUPLING}). Each test names its coupling: when a HAPI or
 * HL7 core upgrade changes what it relies on, the test says which and where, instead of a swap silently not happening
 * or the validation reuse giving other findings than the validator. Their Spring-side partners (beans swapped in
 * place, expunge refused, no resource row deleted) are in {@code it/HapiUpgradeCanaryIT}.
 */
class HapiUpgradeCanaryTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static FhirValidator stock;

    @BeforeAll
    static void stockValidator() {
        ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(CTX),
                new InMemoryTerminologyServerValidationSupport(CTX), new CommonCodeSystemsTerminologyService(CTX));
        stock = CTX.newValidator();
        stock.registerValidatorModule(new FhirInstanceValidator(support));
    }

    @Test
    void resourceHistoryCalculatorStillHasThePackagePrivateMethodOurHashReplaces() throws Exception {
        Method hapis = ResourceHistoryCalculator.class.getDeclaredMethod("calculateResourceHistoryState",
                IBaseResource.class, ResourceEncodingEnum.class, List.class);
        assertThat(Modifier.isPrivate(hapis.getModifiers()) || Modifier.isFinal(hapis.getModifiers()))
                .as("HAPI-COUPLING JpaBeanSwaps#singlePassResourceHash: ResourceHistoryCalculator.calculateResourceHistoryState "
                        + "must stay overridable, or SinglePassHashResourceHistoryCalculator no longer replaces it")
                .isFalse();
        Method ours = SinglePassHashResourceHistoryCalculator.class.getDeclaredMethod("calculateResourceHistoryState",
                IBaseResource.class, ResourceEncodingEnum.class, List.class);
        assertThat(ours.getReturnType()).isEqualTo(hapis.getReturnType());
        assertThat(Modifier.isPublic(ResourceHistoryCalculator.class.getModifiers())
                && !Modifier.isFinal(ResourceHistoryCalculator.class.getModifiers())).isTrue();
    }

    @Test
    void theChainBuilderOurDaoRegistryAnswersIsStillThere() throws Exception {
        Class<?> builder = Class.forName(ChainTolerantDaoRegistry.CHAIN_BUILDER);
        assertThat(builder.getName())
                .as("HAPI-COUPLING ChainTolerantDaoRegistry: HAPI's chained-search builder is recognised by this class name")
                .isEqualTo(ChainTolerantDaoRegistry.CHAIN_BUILDER);
        Method getter = ca.uhn.fhir.jpa.api.dao.DaoRegistry.class.getMethod("getResourceDao", String.class);
        assertThat(Modifier.isFinal(getter.getModifiers()))
                .as("HAPI-COUPLING ChainTolerantDaoRegistry: DaoRegistry.getResourceDao(String) must stay overridable").isFalse();
        assertThat(ChainTolerantDaoRegistry.calledByChainBuilder()).as("a test is not the chain builder").isFalse();
    }

    @Test
    void everyR4TypeStillHasItsGeneratedDaoAndProviderBeanMethods() {
        Set<String> missing = new TreeSet<>();
        for (org.hl7.fhir.r4.model.ResourceType type : org.hl7.fhir.r4.model.ResourceType.values()) {
            String modelClass = CTX.getResourceDefinition(type.name()).getImplementingClass().getSimpleName();
            assertThat(ServedResourceTypes.typeOfModelClass(modelClass)).as("R4 model class of " + type).isEqualTo(type.name());
            for (String method : List.of("dao" + modelClass + "R4", "rp" + modelClass + "R4")) {
                Method m = beanMethod(method);
                if (m == null || !ServedResourceTypes.GENERATED_FACTORY_METHOD.matcher(method).matches()) {
                    missing.add(method);
                }
            }
        }
        assertThat(missing)
                .as("HAPI-COUPLING ServedResourceTypes: GeneratedDaoAndResourceProviderConfigR4 must define a @Bean method "
                        + "dao<Type>R4 and rp<Type>R4 per R4 type, or the types not served keep their DAOs (or lose others)")
                .isEmpty();
    }

    private static Method beanMethod(String name) {
        for (Method m : ca.uhn.fhir.jpa.config.GeneratedDaoAndResourceProviderConfigR4.class.getDeclaredMethods()) {
            if (m.getName().equals(name) && m.isAnnotationPresent(org.springframework.context.annotation.Bean.class)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void theCoreDefinitionsParsedOnceAreSharedByEveryContextOfTheVersion() {
        CoreDefinitionsPreload.preload();
        List<IBaseResource> one = new DefaultProfileValidationSupport(FhirContext.forR4Cached()).fetchAllStructureDefinitions();
        List<IBaseResource> other = new DefaultProfileValidationSupport(FhirContext.forR4()).fetchAllStructureDefinitions();
        assertThat(one).as("R4's core StructureDefinitions").hasSizeGreaterThan(500);
        assertThat(other.get(0))
                .as("HAPI-COUPLING CoreDefinitionsPreload: DefaultProfileValidationSupport must keep parsed definitions in a "
                        + "strategy shared by every FhirContext of a version, or the preload parses them for nothing")
                .isSameAs(one.get(0));
    }

    @Test
    void searchParamExtractorR4IsStillAnExtensibleClass() {
        assertThat(Modifier.isFinal(SearchParamExtractorR4.class.getModifiers()))
                .as("HAPI-COUPLING JpaBeanSwaps#simplePathSearchParamExtractor: SimplePathSearchParamExtractor subclasses it")
                .isFalse();
        assertThat(SimplePathSearchParamExtractor.class.getSuperclass()).isEqualTo(SearchParamExtractorR4.class);
    }

    @Test
    void theValidatorsSeenCodingsAreStillWhereSeenCodingsEmptiesThem() {
        assertThat(SeenCodings.supported())
                .as("HAPI-COUPLING SeenCodings: InstanceValidator.codingObserver and CodingsObserver.list (private fields); "
                        + "without them ProfileValidator replaces its validators every 100 validations")
                .isTrue();
        assertThat(SeenCodings.CODING_OBSERVER.getType()).isEqualTo(org.hl7.fhir.validation.codesystem.CodingsObserver.class);
        assertThat(SeenCodings.CODING_OBSERVER.getDeclaringClass()).isEqualTo(InstanceValidator.class);
        assertThat(List.class).isAssignableFrom(SeenCodings.LIST.getType());
    }

    @Test
    void hapisTablesHaveTheNamesWeUse() {
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceTable.class)).isEqualTo(HapiTables.RESOURCE);
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceLink.class)).isEqualTo(HapiTables.RESOURCE_LINK);
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceTag.class)).isEqualTo(HapiTables.RESOURCE_TAG);
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceHistoryTag.class)).isEqualTo(HapiTables.HISTORY_TAG);
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable.class)).startsWith("HFJ_RES_");
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceIndexedSearchParamString.class)).startsWith("HFJ_SPIDX_");
        assertThat(table(ca.uhn.fhir.jpa.model.entity.ResourceIndexedComboStringUnique.class)).startsWith("HFJ_IDX_");
    }

    @Test
    void theValidatorsOwnTypeValidatorsAreThoseValidationShapeKnows() throws IOException {
        // InstanceValidator.checkSpecials hands these types to a class of their own; ValidationShape does not reuse them
        Set<String> typeValidators = new TreeSet<>();
        Path jar = Path.of(org.hl7.fhir.validation.instance.type.BundleValidator.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().map(e -> e.getName())
                    .filter(n -> n.matches("org/hl7/fhir/validation/instance/type/[A-Za-z]+Validator\\.class"))
                    .forEach(n -> typeValidators.add(n.substring(n.lastIndexOf('/') + 1, n.length() - "Validator.class".length())));
        }
        assertThat(typeValidators)
                .as("HAPI-COUPLING InstanceValidatorCopies.OWN_VALIDATOR: the HL7 validator's type validators changed; check "
                        + "InstanceValidator.checkSpecials and update OWN_VALIDATOR (Observation's only checks existence; "
                        + "ViewDefinition is not an R4 resource, Xhtml not a resource)")
                .containsExactlyInAnyOrder("Bundle", "CodeSystem", "ConceptMap", "ImplementationGuide", "Measure",
                        "Observation", "OperationDefinition", "Questionnaire", "SearchParameter", "StructureDefinition",
                        "StructureMap", "ValueSet", "ViewDefinition", "Xhtml");
        for (String t : typeValidators) {
            if (!Set.of("Observation", "ViewDefinition", "Xhtml").contains(t)) {
                assertThat(InstanceValidatorCopies.OWN_VALIDATOR).as("OWN_VALIDATOR has " + t).contains(t);
            }
        }
    }

    @Test
    void ourCopiesAcceptOrdinaryValues() {
        for (String v : List.of("2024", "2024-02", "2024-02-29", "1999-12-31")) {
            assertThat(InstanceValidatorCopies.validDate(v)).as(v).isTrue();
            assertThat(InstanceValidatorCopies.validDateTime(v)).as(v).isTrue();
        }
        for (String v : List.of("2024-02-29T10:00:00Z", "2024-02-29T10:00:00.123+01:00", "2024-02-29T23:59:59-05:00")) {
            assertThat(InstanceValidatorCopies.validDateTime(v)).as(v).isTrue();
        }
        for (String v : List.of("NKAML-P1-001", "a.b-c", "A".repeat(64))) {
            assertThat(InstanceValidatorCopies.ID.matcher(v).matches()).as(v).isTrue();
        }
    }

    @Test
    void theCopiedDateCheckAcceptsWhatTheValidatorAccepts() {
        for (String v : List.of("2024", "2024-02", "2024-02-29", "0001", "1000", "2024-13", "2024-00", "2024-01-32",
                "2024-1-01", "24-01-01", "2024-01-01T10:00:00Z", "0000", "9999-12-31", "2024-02-30", "20240101", " 2024")) {
            assertSameVerdict("date", v, InstanceValidatorCopies.validDate(v),
                    "{\"resourceType\":\"Patient\",\"birthDate\":\"" + v + "\"}", "Patient.birthDate");
        }
    }

    @Test
    void theCopiedDateTimeCheckAcceptsWhatTheValidatorAccepts() {
        for (String v : List.of("2024", "2024-02", "2024-02-29", "2024-02-29T10:00:00Z", "2024-02-29T10:00:00+14:00",
                "2024-02-29T10:00:00+14:01", "2024-02-29T10:00:00-13:59", "2024-02-29T24:00:00Z", "2024-02-29T10:00:60Z",
                "2024-02-29T10:00:00.123456Z", "2024-02-29T10:00Z", "2024-02-29T10:00:00", "2024-02-29T10:00:00+0100",
                "2024-02-29 10:00:00Z", "0000-01-01T00:00:00Z")) {
            assertSameVerdict("dateTime", v, InstanceValidatorCopies.validDateTime(v),
                    "{\"resourceType\":\"Patient\",\"deceasedDateTime\":\"" + v + "\"}", "Patient.deceased");
        }
    }

    @Test
    void theCopiedIdPatternAcceptsWhatTheValidatorAccepts() {
        for (String v : List.of("a", "NKAML-P1-001", "a.b-c", "A".repeat(64), "A".repeat(65), "a_b", "a b", "é", "a/b", "-")) {
            assertSameVerdict("id", v, InstanceValidatorCopies.ID.matcher(v).matches(), "{\"resourceType\":\"Patient\",\"id\":\"" + v + "\"}",
                    "Patient.id");
        }
    }

    /**
     * What ours accepts, the validator accepts without any finding at {@code path} (the reuse would copy findings,
     * warnings included, from another resource); what the validator refuses, ours refuses. Ours may refuse more (such a
     * value is validated by the validator itself, e.g. a leap second).
     */
    private static void assertSameVerdict(String type, String value, boolean ours, String json, String path) {
        List<SingleValidationMessage> findings = stock.validateWithResult(json).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.INFORMATION.ordinal())
                .filter(m -> m.getLocationString() != null && m.getLocationString().startsWith(path))
                .toList();
        boolean refused = findings.stream().anyMatch(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
        if (ours) {
            assertThat(findings).as("HAPI-COUPLING InstanceValidatorCopies: our copy accepts the %s '%s', the validator "
                    + "finds: %s", type, value, findings.isEmpty() ? "" : findings.get(0).getMessage()).isEmpty();
        }
        if (refused) {
            assertThat(ours).as("HAPI-COUPLING InstanceValidatorCopies: the validator refuses the %s '%s' (%s), our copy "
                    + "accepts it", type, value, findings.get(0).getMessage()).isFalse();
        }
    }

    private static String table(Class<?> entity) {
        return entity.getAnnotation(Table.class).name();
    }
}
