package org.celltrial.adapter.server.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail, with security on (without it there is no client to name, and the server answers this machine
 * only): every access to the FHIR API, the admin API and the token endpoint, and every ingest run, as an AuditEvent, readable with the scope
 * {@code system/AuditEvent.rs} only. {@code celltrial.audit.enabled=false} turns it off.
 */
@Configuration
@ConditionalOnExpression("${celltrial.security.enabled:false} and ${celltrial.audit.enabled:true}")
public class AuditConfig {

    @Bean
    public AuditWriter auditWriter(DaoRegistry daos, @Value("${celltrial.audit.queue-capacity:10000}") int capacity) {
        return new AuditWriter(daos, capacity);
    }

    /** Every run of the ingest pipeline, queued like an access (the pipeline is never held up by the audit store). */
    @Bean
    public org.celltrial.adapter.ingest.pipeline.IngestRunListener ingestRunAudit(AuditWriter writer) {
        return run -> writer.record(new IngestRunRecord(run));
    }

    @Bean
    public AuditCapture auditCapture() {
        return new AuditCapture();
    }
}
