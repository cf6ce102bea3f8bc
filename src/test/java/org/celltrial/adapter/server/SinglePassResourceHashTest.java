package org.celltrial.adapter.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.config.HibernatePropertiesProvider;
import ca.uhn.fhir.jpa.dao.ResourceHistoryCalculator;
import ca.uhn.fhir.jpa.dao.SinglePassHashResourceHistoryCalculator;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import org.hibernate.dialect.Dialect;
import org.hibernate.dialect.OracleDialect;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

/** HAPI's ResourceHistoryCalculator bean is replaced by ours, except on Oracle, where HAPI stores bytes. */
class SinglePassResourceHashTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();

    @Test
    void replacedOnPostgres() {
        ResourceHistoryCalculator hapis = new ResourceHistoryCalculator(CTX, false);
        Object bean = processor(new HapiFhirPostgresDialect()).postProcessAfterInitialization(hapis, "resourceHistoryCalculator");
        assertInstanceOf(SinglePassHashResourceHistoryCalculator.class, bean);
    }

    @Test
    void keptOnOracle() {
        ResourceHistoryCalculator hapis = new ResourceHistoryCalculator(CTX, true);
        assertSame(hapis, processor(new OracleDialect()).postProcessAfterInitialization(hapis, "resourceHistoryCalculator"));
    }

    @Test
    void otherBeansUntouched() {
        Object other = new Object();
        assertSame(other, processor(new HapiFhirPostgresDialect()).postProcessAfterInitialization(other, "x"));
    }

    private static BeanPostProcessor processor(Dialect dialect) {
        HibernatePropertiesProvider hibernate = new HibernatePropertiesProvider();
        hibernate.setDialectForUnitTest(dialect);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("fhirContext", CTX);
        beans.addBean("hibernate", hibernate);
        return HapiJpaConfig.singlePassResourceHash(beans.getBeanProvider(FhirContext.class),
                beans.getBeanProvider(HibernatePropertiesProvider.class));
    }
}
