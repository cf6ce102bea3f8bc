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

    /** Security headers on every response, before any filter can answer (README, "Security notes"). */
    @Bean
    public FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter(
            @org.springframework.beans.factory.annotation.Value("${celltrial.fhir.path:/fhir}") String configuredPath) {
        FilterRegistrationBean<SecurityHeadersFilter> registration = new FilterRegistrationBean<>(
                new SecurityHeadersFilter(configuredPath == null || configuredPath.isBlank() ? "/fhir" : configuredPath));
        registration.setName("securityHeaders");
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * CORS for the configured origins only, none by default. A filter rather than Spring MVC's CORS support because
     * /fhir is HAPI's servlet; after the request limits, so preflights count against a client's rate too.
     */
    @Bean
    public FilterRegistrationBean<org.springframework.web.filter.CorsFilter> corsFilter(CorsProperties cors) {
        org.springframework.web.cors.CorsConfiguration config = new org.springframework.web.cors.CorsConfiguration();
        cors.allowedOrigins().forEach(config::addAllowedOriginPattern);
        config.setAllowedMethods(cors.allowedMethods());
        config.setAllowedHeaders(cors.allowedHeaders());
        config.setExposedHeaders(cors.exposedHeaders());
        config.setAllowCredentials(cors.allowCredentials());
        config.setMaxAge(cors.maxAge());
        // matched on the full path: Spring's UrlBasedCorsConfigurationSource looks at the path within the servlet's
        // mapping, which for HAPI's servlet at /fhir/* is /Patient, never /fhir/**
        org.springframework.util.AntPathMatcher matcher = new org.springframework.util.AntPathMatcher();
        org.springframework.web.cors.CorsConfigurationSource source = request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return cors.paths().stream().anyMatch(p -> matcher.match(p, path)) ? config : null;
        };
        FilterRegistrationBean<org.springframework.web.filter.CorsFilter> registration =
                new FilterRegistrationBean<>(new org.springframework.web.filter.CorsFilter(source));
        registration.setName("cors");
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
        registration.setEnabled(cors.enabled()); // off: no CORS headers, preflights are not answered
        return registration;
    }

    /** {@code //} in a path: 400 before the security filters' path parsing answers it with a 500. */
    @Bean
    public FilterRegistrationBean<EmptyPathSegmentFilter> emptyPathSegmentFilter() {
        FilterRegistrationBean<EmptyPathSegmentFilter> registration = new FilterRegistrationBean<>(new EmptyPathSegmentFilter());
        registration.setName("emptyPathSegments");
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 7); // after the limits and CORS, before Spring Security (-100)
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
        // first: a form body would otherwise be read as (unknown) query parameters and refused as such
        registry.addInterceptor(new ApiJsonOnly()).addPathPatterns("/api/**");
        registry.addInterceptor(new ApiQueryParameters()).addPathPatterns("/api/**");
    }
}
