package org.celltrial.adapter.ingest;

import org.celltrial.adapter.profiles.ResourceValidation;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.celltrial.adapter.mapping.MappingEngine;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;

/** Beans of the SDTM file-drop pipeline; the Camel routes are the RouteBuilder components of this package. */
@Configuration
public class IngestConfig {

    @Bean
    public Inbox inbox(IngestProperties props, IngestSafetyProperties safety) throws IOException {
        Inbox inbox = new Inbox(props, safety);
        inbox.recoverInterrupted();
        return inbox;
    }

    @Bean
    public DeliveryReader deliveryReader(IngestProperties props, IngestSafetyProperties safety) {
        return new DeliveryReader(props.maxDeliveryBytes(), safety.maxEntries(), safety.spool());
    }

    @Bean
    public SubjectWriter subjectWriter(DaoRegistry daoRegistry,
                                                       ca.uhn.fhir.jpa.api.svc.IIdHelperService<?> idHelper,
                                                       org.springframework.transaction.PlatformTransactionManager transactionManager,
                                                       ca.uhn.fhir.jpa.config.HibernatePropertiesProvider hibernate) {
        return new SubjectWriter(daoRegistry, idHelper,
                new org.springframework.transaction.support.TransactionTemplate(transactionManager),
                hibernate.getDialect() instanceof org.hibernate.dialect.H2Dialect
                        ? SubjectWriter.IDS_PER_LOOKUP_H2 : SubjectWriter.IDS_PER_LOOKUP);
    }

    @Bean
    public MessageStore messageStore(JdbcTemplate jdbc) {
        MessageStore store = new MessageStore(jdbc);
        store.createSchema();
        store.markUnfinishedInterrupted();
        return store;
    }

    @Bean
    public org.celltrial.adapter.ingest.store.TermUseStore termUseStore(JdbcTemplate jdbc) {
        org.celltrial.adapter.ingest.store.TermUseStore store = new org.celltrial.adapter.ingest.store.TermUseStore(jdbc);
        store.createSchema();
        return store;
    }

    @Bean(destroyMethod = "close")
    public IngestWorkers ingestWorkers(IngestProperties props) {
        return new IngestWorkers(props.workers());
    }

    @Bean
    public DeliveryIngestor deliveryIngestor(MappingEngine engine, SubjectWriter writer, DaoRegistry daoRegistry,
                                             FhirContext fhirContext, ResourceValidation validation, MessageStore store,
                                             IngestWorkers workers, IngestProperties props,
                                             org.celltrial.adapter.ingest.store.TermUseStore termUses) {
        return new DeliveryIngestor(engine, writer, new StoredSubjectDirectory(daoRegistry),
                new StoredResourceMerger(fhirContext, daoRegistry), validation, store,
                new ResourceRetirer(fhirContext, daoRegistry), fhirContext, workers, props.subjectsPerTransaction(), termUses);
    }
}
