package org.celltrial.adapter.hapi;

import ca.uhn.fhir.jpa.config.GeneratedDaoAndResourceProviderConfigR4;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FHIR resource types this server serves ({@value #PROPERTY}; {@code [all]}: every R4 type, as stock HAPI).
 * HAPI creates a DAO for each of R4's 146 types at start (each with its search parameters and a resource provider
 * scanned for its REST methods); with a list, the types not served get none (~12 % of the boot, docs/benchmarks.md),
 * so REST, the CapabilityStatement, Bulk export and storage know only the served ones, and a request for another type
 * is answered as unknown (HAPI's 404 naming the types served). An unqualified chain over a reference that may point at
 * a type not served skips that type ({@link ChainTolerantDaoRegistry}). application.yaml lists the types the adapter
 * uses; {@code all} serves every type (README).
 */
public final class ServedResourceTypes {

    public static final String PROPERTY = "celltrial.fhir.resource-types";

    /**
     * HAPI-COUPLING: {@link GeneratedDaoAndResourceProviderConfigR4} registers, for each R4 type, a DAO bean made by
     * its method {@code dao<Class>R4} and a lazy resource-provider bean made by {@code rp<Class>R4}, named after the
     * model class (the type's name, but {@code ListResource} for List). HAPI's
     * {@code DaoRegistry} collects the DAO beans (its {@code isResourceTypeSupported} then answers from them) and the
     * provider factory asks it per type, so removing the definitions of the types not served is all it takes.
     * {@code HapiUpgradeCanaryTest} checks that every R4 type still has both methods.
     */
    static final Pattern GENERATED_FACTORY_METHOD = Pattern.compile("(?:dao|rp)([A-Z]\\w*)R4");

    private final Set<String> types; // null: all

    private ServedResourceTypes(Set<String> types) {
        this.types = types == null ? null : Collections.unmodifiableSet(new TreeSet<>(types));
    }

    public static ServedResourceTypes all() {
        return new ServedResourceTypes(null);
    }

    public static ServedResourceTypes only(Collection<String> types) {
        return new ServedResourceTypes(Set.copyOf(types));
    }

    /** The setting, or all types when it is absent, empty or {@code all}. */
    public static ServedResourceTypes from(Environment env) {
        List<String> listed = Binder.get(env).bind(PROPERTY, Bindable.listOf(String.class)).orElse(List.of());
        List<String> names = new ArrayList<>();
        for (String l : listed) {
            if (l != null && !l.isBlank()) {
                names.add(l.trim());
            }
        }
        if (names.isEmpty() || (names.size() == 1 && names.get(0).toLowerCase(Locale.ROOT).equals("all"))) {
            return all();
        }
        return only(names);
    }

    public boolean servesAll() {
        return types == null;
    }

    public boolean serves(String resourceType) {
        return types == null || types.contains(resourceType);
    }

    /** The served types, or empty when all are. */
    public Set<String> listed() {
        return types == null ? Set.of() : types;
    }

    /**
     * Stops the start when a listed name is not an R4 resource type or a type the caller needs is not listed; the
     * message names them and the setting.
     */
    public ServedResourceTypes check(Set<String> r4Types, Set<String> needed) {
        if (types == null) {
            return this;
        }
        Set<String> unknown = new TreeSet<>(types);
        unknown.removeAll(r4Types);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException(PROPERTY + " lists " + unknown + ", which FHIR R4 does not define as resource types");
        }
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(types);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(PROPERTY + " must list " + missing
                    + ": the adapter itself stores or serves them (or set it to [all])");
        }
        return this;
    }

    /** Removes HAPI's DAO and resource-provider beans of the types not served (see {@link #GENERATED_FACTORY_METHOD}). */
    public BeanDefinitionRegistryPostProcessor unservedDaosRemoved() {
        return new BeanDefinitionRegistryPostProcessor() {
            @Override
            public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                if (types == null) {
                    return;
                }
                for (String name : registry.getBeanDefinitionNames()) {
                    String type = generatedType(registry.getBeanDefinition(name));
                    if (type != null && !types.contains(type)) {
                        registry.removeBeanDefinition(name);
                    }
                }
            }

            @Override
            public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            }
        };
    }

    /** The resource type of a DAO or provider bean HAPI's generated R4 configuration defines, else null. */
    static String generatedType(BeanDefinition definition) {
        String factoryBean = definition.getFactoryBeanName();
        String method = definition.getFactoryMethodName();
        if (factoryBean == null || method == null || !factoryBean.equals(GeneratedDaoAndResourceProviderConfigR4.class.getName())) {
            return null;
        }
        Matcher m = GENERATED_FACTORY_METHOD.matcher(method);
        return m.matches() ? typeOfModelClass(m.group(1)) : null;
    }

    /** The FHIR type name of an R4 model class's simple name: the same, but List's class is ListResource. */
    static String typeOfModelClass(String simpleName) {
        return simpleName.equals("ListResource") ? "List" : simpleName;
    }

    @Override
    public String toString() {
        return types == null ? "all" : types.toString();
    }
}
