package org.celltrial.adapter.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import org.celltrial.adapter.ingest.fhir.ResourceRetirer;
import org.celltrial.adapter.ingest.fhir.StoredResourceMerger;
import org.celltrial.adapter.ingest.fhir.StoredSubjectDirectory;
import org.celltrial.adapter.ingest.fhir.SubjectWriter;
import org.celltrial.adapter.ingest.pipeline.DeliveryPipeline;
import org.celltrial.adapter.ingest.pipeline.IngestWorkers;
import org.celltrial.adapter.ingest.pipeline.MapStage;
import org.celltrial.adapter.ingest.pipeline.ReadStage;
import org.celltrial.adapter.ingest.pipeline.RetireStage;
import org.celltrial.adapter.ingest.pipeline.SubjectStage;
import org.celltrial.adapter.ingest.pipeline.ValidateStage;
import org.celltrial.adapter.ingest.pipeline.WriteStage;
import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReaders;
import org.celltrial.adapter.ingest.read.odm.OdmDatasetReader;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.profiles.ResourceValidation;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.util.List;

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
    public TermUseStore termUseStore(JdbcTemplate jdbc) {
        TermUseStore store = new TermUseStore(jdbc);
        store.createSchema();
        return store;
    }

    @Bean(destroyMethod = "close")
    public IngestWorkers ingestWorkers(IngestProperties props) {
        return new IngestWorkers(props.workers());
    }

    /**
     * The dataset formats a delivery may hold, one reader each: CSV, SAS XPORT v5, Dataset-JSON (JSON and NDJSON), CDISC
     * ODM (its per-form spools under {@code odmSpool}, beside the zip spool whose free space is watched). The registry
     * refuses two readers for one kind of file.
     */
    static List<DatasetReader> datasetReaders(java.nio.file.Path odmSpool) {
        List<DatasetReader> all = new java.util.ArrayList<>(List.of(new CsvDatasetReader()));
        all.addAll(DatasetReaders.standard().readers());
        // CDISC ODM exports (.xml) dropped into the inbox; a Define-XML is told apart by content and not read as data
        all.add(new OdmDatasetReader(odmSpool));
        return new DatasetReaders(all).readers();
    }

    @Bean
    public DeliveryPipeline deliveryPipeline(MappingEngine engine, SubjectWriter writer, DaoRegistry daoRegistry,
                                             FhirContext fhirContext, ResourceValidation validation, MessageStore store,
                                             IngestWorkers workers, IngestProperties props, TermUseStore termUses,
                                             org.springframework.transaction.PlatformTransactionManager transactionManager,
                                             IngestSafetyProperties safety,
                                             ca.uhn.fhir.interceptor.api.IInterceptorService interceptors,
                                             org.springframework.beans.factory.ObjectProvider<org.celltrial.adapter.ingest.pipeline.IngestRunListener> runListeners) {
        SubjectStage subjects = new SubjectStage(new ValidateStage(validation, fhirContext),
                new WriteStage(writer, store, termUses), new StoredResourceMerger(fhirContext, daoRegistry), store,
                workers, props.subjectsPerTransaction());
        DeliveryPipeline pipeline = new DeliveryPipeline(engine, store, termUses, fhirContext, new ReadStage(datasetReaders(safety.spool().resolve("odm"))),
                new MapStage(engine, new StoredSubjectDirectory(daoRegistry), store), subjects,
                new RetireStage(store, termUses, new ResourceRetirer(fhirContext, daoRegistry,
                        new org.springframework.transaction.support.TransactionTemplate(transactionManager))), validation,
                props.streamAboveBytes(), props.subjectsPerChunk());
        org.celltrial.adapter.ingest.fhir.StudyGroups groups = new org.celltrial.adapter.ingest.fhir.StudyGroups(fhirContext, daoRegistry);
        pipeline.setStudyGroups(groups);
        interceptors.registerInterceptor(groups); // a retired Patient leaves its study Group instead of being kept by it
        runListeners.orderedStream().forEach(pipeline::addRunListener); // the audit trail, when it is on
        return pipeline;
    }
}
