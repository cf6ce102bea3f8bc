package org.celltrial.adapter.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.dao.ResourceHistoryCalculator;
import ca.uhn.fhir.jpa.dao.SinglePassHashResourceHistoryCalculator;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * HAPI beans replaced by faster ones of ours computing the same thing. Each swap matches HAPI's bean by its exact
 * class, so a HAPI that renames, subclasses or stops registering the bean makes the swap silently not happen: the
 * upgrade canaries ({@code HapiUpgradeCanaryIT}) check that both replacements are in place.
 */
public final class JpaBeanSwaps {

    private JpaBeanSwaps() {
    }

    /**
     * HAPI-COUPLING: {@link ResourceHistoryCalculator} is registered as a bean of exactly that class and its
     * package-private {@code calculateResourceHistoryState} is what HAPI calls to encode and hash a resource version.
     * Ours computes the same hash in one pass ({@link SinglePassHashResourceHistoryCalculator}); Oracle, where HAPI
     * stores bytes, keeps HAPI's own.
     */
    public static BeanPostProcessor singlePassResourceHash(ObjectProvider<FhirContext> fhirContext,
                                                           ObjectProvider<HibernatePropertiesProvider> hibernate) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean.getClass() == ResourceHistoryCalculator.class && !hibernate.getObject().isOracleDialect()) {
                    return new SinglePassHashResourceHistoryCalculator(fhirContext.getObject());
                }
                return bean;
            }
        };
    }

    /**
     * HAPI-COUPLING: {@link SearchParamExtractorR4} is registered as a bean of exactly that class, and our subclass
     * ({@link SimplePathSearchParamExtractor}) needs the same autowiring and {@code start()} HAPI gives it.
     */
    public static BeanPostProcessor simplePathSearchParamExtractor(ObjectProvider<AutowireCapableBeanFactory> beanFactory) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean.getClass() == SearchParamExtractorR4.class) {
                    SimplePathSearchParamExtractor ours = new SimplePathSearchParamExtractor();
                    beanFactory.getObject().autowireBean(ours);
                    ours.start();
                    return ours;
                }
                return bean;
            }
        };
    }

    /**
     * HAPI-COUPLING: HAPI's {@link ca.uhn.fhir.jpa.api.dao.DaoRegistry} is a bean of exactly that class; ours
     * ({@link ChainTolerantDaoRegistry}) lets an unqualified chained search skip the types not served, as HAPI's chain
     * builder means to. It gets what HAPI's gets: the FhirContext and the application context.
     */
    public static BeanPostProcessor chainTolerantDaoRegistry(ObjectProvider<FhirContext> fhirContext,
                                                             ObjectProvider<org.springframework.context.ApplicationContext> context) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean.getClass() == ca.uhn.fhir.jpa.api.dao.DaoRegistry.class) {
                    ChainTolerantDaoRegistry ours = new ChainTolerantDaoRegistry(fhirContext.getObject());
                    ours.setApplicationContext(context.getObject());
                    return ours;
                }
                return bean;
            }
        };
    }
}
