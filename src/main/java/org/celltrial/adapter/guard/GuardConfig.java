package org.celltrial.adapter.guard;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import javax.sql.DataSource;

/** The request limits, the error paths and the database watch (package javadoc: what each does). */
@Configuration
public class GuardConfig implements WebMvcConfigurer {

    @Bean
    public RefusalLog refusalLog() {
        return new RefusalLog();
    }

    @Bean
    public FilterRegistrationBean<RequestLimitFilter> requestLimitFilter(
            LimitsProperties limits, RefusalLog refusals,
            // the property itself, not the server's FhirServerProperties: the server sits above the guards it installs
            @org.springframework.beans.factory.annotation.Value("${celltrial.fhir.path:/fhir}") String configuredPath) {
        String fhirPath = configuredPath == null || configuredPath.isBlank() ? "/fhir" : configuredPath; // as the server reads it
        FilterRegistrationBean<RequestLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestLimitFilter(limits, fhirPath, refusals));
        registration.setName("requestLimits");
        registration.addUrlPatterns(fhirPath + "/*", fhirPath, "/api/*", "/ig/*");
        // before Spring's filters (the form filter reads bodies) and before the FHIR servlet
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Marks request threads for the statement timeout; first of all filters, so every request is covered. */
    @Bean
    public FilterRegistrationBean<StatementTimeoutFilter> statementTimeoutFilter() {
        FilterRegistrationBean<StatementTimeoutFilter> registration = new FilterRegistrationBean<>(new StatementTimeoutFilter());
        registration.setName("statementTimeouts");
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * The application's DataSource wrapped so each connection gets the statement timeout of the thread taking it
     * ({@link TimeoutDataSource}). Static and reading the two settings through the Binder: a post-processor is created
     * before the configuration-properties beans.
     */
    @Bean
    public static BeanPostProcessor statementTimeoutDataSource(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource ds && "dataSource".equals(beanName) && !(bean instanceof TimeoutDataSource)) {
                    Binder binder = Binder.get(environment);
                    return new TimeoutDataSource(ds,
                            binder.bind("celltrial.limits.statement-timeout", java.time.Duration.class)
                                    .orElse(LimitsProperties.DEFAULT_STATEMENT_TIMEOUT),
                            binder.bind("celltrial.limits.background-statement-timeout", java.time.Duration.class)
                                    .orElse(LimitsProperties.DEFAULT_BACKGROUND_STATEMENT_TIMEOUT));
                }
                return bean;
            }
        };
    }

    @Bean(name = "database")
    public DatabaseWatch database(DataSource dataSource, DataSourceProperties properties, ApplicationEventPublisher events,
                                  HealthProperties health) {
        return new DatabaseWatch(dataSource, properties, events, health.databaseTimeout(), health.databaseCheckInterval());
    }

    @Bean
    public FhirErrorGuard fhirErrorGuard(ca.uhn.fhir.context.FhirContext context, DatabaseWatch database, RefusalLog refusals,
                                         LimitsProperties limits) {
        return new FhirErrorGuard(context, database, refusals, limits.retryAfterSeconds(), limits.statementTimeout());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiQueryParameters()).addPathPatterns("/api/**");
    }
}
