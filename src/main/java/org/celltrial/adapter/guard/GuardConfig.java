package org.celltrial.adapter.guard;

import org.celltrial.adapter.server.FhirServerProperties;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
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
    public FilterRegistrationBean<RequestLimitFilter> requestLimitFilter(LimitsProperties limits, FhirServerProperties fhir,
                                                                        RefusalLog refusals) {
        FilterRegistrationBean<RequestLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestLimitFilter(limits, fhir.path(), refusals));
        registration.setName("requestLimits");
        registration.addUrlPatterns(fhir.path() + "/*", fhir.path(), "/api/*", "/ig/*");
        // before Spring's filters (the form filter reads bodies) and before the FHIR servlet
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Bean(name = "database")
    public DatabaseWatch database(DataSource dataSource, DataSourceProperties properties, ApplicationEventPublisher events,
                                  HealthProperties health) {
        return new DatabaseWatch(dataSource, properties, events, health.databaseTimeout(), health.databaseCheckInterval());
    }

    @Bean
    public FhirErrorGuard fhirErrorGuard(ca.uhn.fhir.context.FhirContext context, DatabaseWatch database, RefusalLog refusals,
                                         LimitsProperties limits) {
        return new FhirErrorGuard(context, database, refusals, limits.retryAfterSeconds());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiQueryParameters()).addPathPatterns("/api/**");
    }
}
