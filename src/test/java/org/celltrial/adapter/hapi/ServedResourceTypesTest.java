package org.celltrial.adapter.hapi;

import ca.uhn.fhir.jpa.config.GeneratedDaoAndResourceProviderConfigR4;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.GenericBeanDefinition;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.env.MockEnvironment;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServedResourceTypesTest {

    private static final String GENERATED = GeneratedDaoAndResourceProviderConfigR4.class.getName();
    private static final Set<String> R4 = Set.of("Patient", "Observation", "Account", "List", "Task");

    @Test
    void absentEmptyOrAllMeansEveryType() {
        assertThat(ServedResourceTypes.from(new MockEnvironment()).servesAll()).isTrue();
        assertThat(ServedResourceTypes.from(new MockEnvironment().withProperty(ServedResourceTypes.PROPERTY, "all")).servesAll()).isTrue();
        assertThat(ServedResourceTypes.from(new MockEnvironment().withProperty(ServedResourceTypes.PROPERTY, "")).servesAll()).isTrue();
    }

    @Test
    void theShippedListCanBeReplacedByAllFromTheEnvironmentAsReadmeSays() throws Exception {
        MockEnvironment env = new MockEnvironment();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        assertThat(ServedResourceTypes.from(env).listed()).as("application.yaml's list").hasSize(26).contains("Patient", "Task");
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource(org.springframework.core.env.StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.<String, Object>of("CELLTRIAL_FHIR_RESOURCETYPES", "all")));
        assertThat(ServedResourceTypes.from(env).servesAll()).isTrue();
    }

    @Test
    void aListServesExactlyItsTypes() {
        ServedResourceTypes served = ServedResourceTypes.from(
                new MockEnvironment().withProperty(ServedResourceTypes.PROPERTY, "Patient, List"));
        assertThat(served.serves("Patient")).isTrue();
        assertThat(served.serves("List")).isTrue();
        assertThat(served.serves("Account")).isFalse();
        assertThat(served.listed()).containsExactly("List", "Patient");
    }

    @Test
    void aNameThatIsNoR4TypeOrANeededTypeMissingStopsTheStartNamingThem() {
        assertThatThrownBy(() -> ServedResourceTypes.only(List.of("Patient", "Spaceship")).check(R4, Set.of()))
                .hasMessageContaining("[Spaceship]").hasMessageContaining(ServedResourceTypes.PROPERTY);
        assertThatThrownBy(() -> ServedResourceTypes.only(List.of("Observation")).check(R4, Set.of("Patient", "Task")))
                .hasMessageContaining("must list [Patient, Task]");
        assertThat(ServedResourceTypes.all().check(R4, Set.of("Patient")).servesAll()).isTrue();
    }

    @Test
    void onlyTheGeneratedDaoAndProviderBeansOfUnservedTypesAreRemoved() {
        DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
        register(registry, "myPatientDaoR4", GENERATED, "daoPatientR4");
        register(registry, "myPatientRpR4", GENERATED, "rpPatientR4");
        register(registry, "myAccountDaoR4", GENERATED, "daoAccountR4");
        register(registry, "myAccountRpR4", GENERATED, "rpAccountR4");
        register(registry, "myListResourceDaoR4", GENERATED, "daoListResourceR4");  // List's model class
        register(registry, "myTaskDaoR4", GENERATED, "daoTaskR4");
        register(registry, "myResourceProvidersR4", GENERATED, "resourceProvidersR4");
        register(registry, "mySystemDaoR4", "ca.uhn.fhir.jpa.config.r4.JpaR4Config", "systemDaoR4");
        register(registry, "someoneElsesAccountDao", "org.example.Config", "daoAccountR4"); // not HAPI's generated config

        ServedResourceTypes.only(List.of("Patient", "List")).unservedDaosRemoved().postProcessBeanDefinitionRegistry(registry);

        assertThat(registry.getBeanDefinitionNames()).containsExactlyInAnyOrder("myPatientDaoR4", "myPatientRpR4", "myListResourceDaoR4",
                "myResourceProvidersR4", "mySystemDaoR4", "someoneElsesAccountDao");
    }

    @Test
    void servingAllRemovesNothing() {
        DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
        register(registry, "myAccountDaoR4", GENERATED, "daoAccountR4");
        ServedResourceTypes.all().unservedDaosRemoved().postProcessBeanDefinitionRegistry(registry);
        assertThat(registry.getBeanDefinitionNames()).containsExactly("myAccountDaoR4");
    }

    private static void register(DefaultListableBeanFactory registry, String name, String factoryBean, String method) {
        GenericBeanDefinition d = new GenericBeanDefinition();
        d.setFactoryBeanName(factoryBean);
        d.setFactoryMethodName(method);
        registry.registerBeanDefinition(name, d);
    }
}
