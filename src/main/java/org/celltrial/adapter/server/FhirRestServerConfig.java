package org.celltrial.adapter.server;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR REST endpoint: HAPI's RestfulServer over the JPA DAOs, mounted at {@code celltrial.fhir.path}. */
@Configuration
public class FhirRestServerConfig {

    @Bean
    public RestfulServer restfulServer(
            IFhirSystemDao<?, ?> systemDao,
            ResourceProviderFactory resourceProviderFactory,
            IJpaSystemProvider jpaSystemProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider,
            FhirServerProperties props,
            java.util.Optional<ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor> authorization,
            java.util.Optional<org.celltrial.adapter.server.security.StudyAccess> studyAccess,
            java.util.Optional<org.celltrial.adapter.server.audit.AuditCapture> auditCapture,
            org.celltrial.adapter.guard.FhirErrorGuard errorGuard,
            org.springframework.beans.factory.ObjectProvider<CapabilityStatementCustomizer> customizers,
            ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider bulkExport,
            java.util.Optional<org.celltrial.adapter.server.security.BulkExportAccess> bulkExportAccess,
            org.celltrial.adapter.server.bulk.BulkExportStatus bulkExportStatus) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        // narratives would be generated on every write; trial data carries none worth showing
        systemDao.getContext().setNarrativeGenerator(new NullNarrativeGenerator());
        // HAPI's encoder otherwise walks every resource, on every encode and index, for references to in-memory
        // resources without an id, to contain them: a client-side convenience; stored and parsed resources
        // reference by id (~7 % of a write, docs/benchmarks.md)
        systemDao.getContext().getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        server.registerProviders(resourceProviderFactory.createProviders());
        server.registerProvider(jpaSystemProvider);
        // Bulk Data $export (system, Patient, Group) and its status URL: HAPI's batch2 export job (README)
        server.registerProvider(bulkExport);
        server.registerInterceptor(bulkExportStatus); // its status URL as the Bulk Data IG says (server/bulk)

        CellTrialCapabilityStatementProvider capabilities = new CellTrialCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport,
                () -> customizers.orderedStream().toList());
        capabilities.setImplementationDescription("CellTrial FHIR Adapter");
        server.setServerConformanceProvider(capabilities);

        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        // failed requests: 503 for database trouble, one log line for refusals, halt on OutOfMemoryError (guard/)
        server.registerInterceptor(errorGuard);
        // gzip bodies are decoded by the request limit filter, which counts the decoded bytes against the limit
        server.setUncompressIncomingContents(false);
        authorization.ifPresent(server::registerInterceptor);
        studyAccess.ifPresent(server::registerInterceptor); // security on: a client sees its studies only
        bulkExportAccess.ifPresent(server::registerInterceptor); // security on: exports narrowed, kept to their client
        auditCapture.ifPresent(server::registerInterceptor); // security on: interaction and patients for the audit trail
        if (props.publicBaseUrl() != null && !props.publicBaseUrl().isBlank()) {
            server.setServerAddressStrategy(new HardcodedServerAddressStrategy(props.publicBaseUrl()));
        } else {
            server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        }
        return server;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServletRegistration(RestfulServer server, FhirServerProperties props) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, props.path() + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
