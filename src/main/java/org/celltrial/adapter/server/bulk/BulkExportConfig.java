package org.celltrial.adapter.server.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import org.celltrial.adapter.server.security.BulkExportAccess;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Bulk Data {@code $export} (README "Connecting a registry or EHR"): HAPI's BulkDataExportProvider and batch2 export
 * job (registered on the REST server in FhirRestServerConfig), its status URL answered by {@link BulkExportStatus};
 * with security on, {@link BulkExportAccess} narrows exports to the client's scopes and studies and keeps each export
 * to its client.
 */
@Configuration
public class BulkExportConfig {

    @Bean
    public BulkExportStatus bulkExportStatus(IJobCoordinator jobs, ca.uhn.fhir.batch2.api.IJobMaintenanceService maintenance,
                                             DaoRegistry daos, FhirContext ctx,
                                             Optional<BulkExportAccess> access,
                                             @Value("${celltrial.security.enabled:false}") boolean securityEnabled,
                                             @Value("${celltrial.bulk.retry-after:5}") int retryAfterSeconds) {
        Predicate<BulkExportJobParameters> mayAccess = access.<Predicate<BulkExportJobParameters>>map(a -> a::ownedByCurrentClient)
                .orElse(p -> true);
        return new BulkExportStatus(jobs, maintenance, daos, ctx, securityEnabled, retryAfterSeconds, mayAccess);
    }
}
