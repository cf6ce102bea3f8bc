package org.celltrial.adapter.server;

import org.celltrial.adapter.hapi.JpaBeanSwaps;
import org.celltrial.adapter.hapi.ResourceRowForeignKeys;
import org.celltrial.adapter.hapi.ServedResourceTypes;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import org.hibernate.jpa.boot.spi.IntegratorProvider;
import org.hibernate.jpa.boot.spi.JpaSettings;
import org.springframework.beans.factory.SmartInitializingSingleton;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.dao.FulltextSearchSvcImpl;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

import javax.sql.DataSource;
import java.util.List;
import java.util.Properties;

/**
 * Wires HAPI FHIR's JPA server (R4) into this Spring Boot application. Modelled on the beans of
 * hapi-fhir-jpaserver-starter, whose config classes are not published; the REST layer lives in
 * {@link FhirRestServerConfig}.
 */
@Configuration
@EnableTransactionManagement
@Import({
    JpaR4Config.class,
    JpaBatch2Config.class,
    Batch2JobsConfig.class,
    SubscriptionChannelConfig.class,
    ThreadPoolFactoryConfig.class
})
public class HapiJpaConfig {

    /**
     * HAPI's storage settings: anything under {@code celltrial.fhir.storage} in application.yaml (bound to
     * JpaStorageSettings' setters, e.g. {@code suppress-string-indexing-in-tokens: true}), then the choices below,
     * which configuration cannot undo (patient data: no external references, no expunge, referential integrity).
     */
    @Bean
    public JpaStorageSettings jpaStorageSettings(FhirServerProperties props, org.springframework.core.env.Environment env,
                                                 DataSource dataSource, org.celltrial.adapter.guard.LimitsProperties limits) {
        JpaStorageSettings settings = new JpaStorageSettings();
        org.springframework.boot.context.properties.bind.Binder.get(env)
                .bind("celltrial.fhir.storage", org.springframework.boot.context.properties.bind.Bindable.ofInstance(settings));
        if (!env.containsProperty("celltrial.fhir.storage.tag-storage-mode")) {
            settings.setTagStorageMode(TagStorageChoice.forDatabase(dataSource,
                    env.getProperty("spring.jpa.properties.hibernate.default_schema")));
        }
        // ids are assigned by the adapter from source keys (STUDYID, USUBJID, --SEQ)
        settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ALPHANUMERIC);
        settings.setAllowExternalReferences(false);
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        settings.setFetchSizeDefaultMaximum(props.maxPageSize());
        // resources one page may pull in through _include/_revinclude (celltrial.limits.max-includes-per-page)
        settings.setMaximumIncludesToLoadPerPage(limits.maxIncludesPerPage());
        settings.setAllowMultipleDelete(false);
        settings.setExpungeEnabled(false);
        settings.setDeleteExpungeEnabled(false);
        // HAPI re-serves an identical search from its cache for 60 s by default, so a client polling after a
        // delivery would not see the new records; reuse only when configured
        settings.setReuseCachedSearchResultsForMillis(props.reuseCachedSearchResultsMs() > 0
                ? props.reuseCachedSearchResultsMs() : null);
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            DataSource dataSource,
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            ConfigurableEnvironment environment,
            ResourceRowForeignKeys resourceRowForeignKeys) {
        LocalContainerEntityManagerFactoryBean emf =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        emf.setPersistenceUnitName("HAPI_PU");
        emf.setDataSource(dataSource);
        emf.setJpaProperties(hibernateProperties(environment));
        emf.getJpaPropertyMap().put(JpaSettings.INTEGRATOR_PROVIDER, (IntegratorProvider) () -> List.of(resourceRowForeignKeys));
        return emf;
    }

    /** Which of HAPI's foreign keys are not created (see {@link ResourceRowForeignKeys}); all when expunge is on. */
    @Bean
    public ResourceRowForeignKeys resourceRowForeignKeys(JpaStorageSettings storageSettings) {
        return new ResourceRowForeignKeys(storageSettings.isExpungeEnabled() || storageSettings.isDeleteExpungeEnabled());
    }

    /** Drops the left-out keys an existing database still has, once Hibernate has updated the schema. */
    @Bean
    public SmartInitializingSingleton resourceRowForeignKeysDropped(ResourceRowForeignKeys keys,
                                                                   EntityManagerFactory schemaUpdated, DataSource dataSource,
                                                                   ConfigurableEnvironment environment) {
        return () -> keys.dropExistingAtStart(dataSource, environment.getProperty("spring.jpa.properties.hibernate.default_schema"));
    }

    /** HAPI's own JPA defaults, overridden by anything under spring.jpa.properties in application.yaml. */
    private static Properties hibernateProperties(ConfigurableEnvironment environment) {
        Properties props = new Properties();
        String prefix = "spring.jpa.properties.";
        environment.getPropertySources().forEach(source -> {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith(prefix)) {
                        props.putIfAbsent(name.substring(prefix.length()), environment.getProperty(name));
                    }
                }
            }
        });
        props.putIfAbsent("hibernate.search.enabled", "false");
        props.putIfAbsent("hibernate.hbm2ddl.auto", "update");
        // a power of two: PostgreSQL's driver rewrites a batch into multi-row INSERTs of power-of-two sizes, so 50
        // rows went as 32 + 16 + 2 (three statements), 64 go as one
        props.putIfAbsent("hibernate.jdbc.batch_size", "64");
        props.putIfAbsent("hibernate.order_inserts", "true");
        props.putIfAbsent("hibernate.order_updates", "true");
        props.putIfAbsent("hibernate.cache.use_query_cache", "false");
        props.putIfAbsent("hibernate.cache.use_second_level_cache", "false");
        props.putIfAbsent("hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        return props;
    }

    /**
     * The types the adapter itself stores or serves whatever the mappings produce: subjects and studies, the
     * ingest's Provenance, the audit trail, study Groups and Bulk export files, Subscriptions, and the conformance
     * resources of our IG and terminology (HAPI's search-parameter registry and terminology services read them too);
     * Task because HAPI's patient-merge service takes its DAO at start.
     */
    static final java.util.Set<String> ADAPTER_RESOURCE_TYPES = java.util.Set.of(
            "Patient", "ResearchStudy", "ResearchSubject", "Provenance", "AuditEvent", "Group", "Binary", "Subscription",
            "StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "ImplementationGuide", "SearchParameter",
            "Task");

    /** Only the resource types served get HAPI's DAOs and providers ({@link ServedResourceTypes}, application.yaml). */
    @Bean
    static org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor unservedResourceTypes(
            org.springframework.core.env.Environment env) {
        java.util.Set<String> r4 = new java.util.HashSet<>();
        for (org.hl7.fhir.r4.model.ResourceType t : org.hl7.fhir.r4.model.ResourceType.values()) {
            r4.add(t.name()); // the enum names are the type names (List, not ListResource)
        }
        return ServedResourceTypes.from(env).check(r4, ADAPTER_RESOURCE_TYPES).unservedDaosRemoved();
    }

    /** HAPI's resource hash computed in one pass (same hash): {@link JpaBeanSwaps#singlePassResourceHash}. */
    @Bean
    static BeanPostProcessor singlePassResourceHash(ObjectProvider<FhirContext> fhirContext,
                                                    ObjectProvider<HibernatePropertiesProvider> hibernate) {
        return JpaBeanSwaps.singlePassResourceHash(fhirContext, hibernate);
    }

    /** An unqualified chained search skips the types not served: {@link JpaBeanSwaps#chainTolerantDaoRegistry}. */
    @Bean
    static BeanPostProcessor chainTolerantDaoRegistry(ObjectProvider<FhirContext> fhirContext,
                                                      ObjectProvider<org.springframework.context.ApplicationContext> context) {
        return JpaBeanSwaps.chainTolerantDaoRegistry(fhirContext, context);
    }

    /** HAPI's R4 search-parameter extractor with common paths walked directly: {@link JpaBeanSwaps#simplePathSearchParamExtractor}. */
    @Bean
    static BeanPostProcessor simplePathSearchParamExtractor(ObjectProvider<AutowireCapableBeanFactory> beanFactory) {
        return JpaBeanSwaps.simplePathSearchParamExtractor(beanFactory);
    }

    @Bean
    @Primary
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    public IFulltextSearchSvc fullTextSearchSvc() {
        return new FulltextSearchSvcImpl();
    }

    @Bean
    public IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    public IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
        return new HSearchSortHelperImpl(searchParamRegistry);
    }

    @Bean
    public DatabaseBackedPagingProvider databaseBackedPagingProvider(FhirServerProperties props) {
        DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
        paging.setDefaultPageSize(props.defaultPageSize());
        paging.setMaximumPageSize(props.maxPageSize());
        return paging;
    }

    @Bean
    public IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }
}
