package org.celltrial.adapter.ingest.pipeline;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.mapping.MappingLoader;
import org.celltrial.adapter.mapping.MappingSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the stage tests share: the real mappings of {@code mappings/}, a real message store in an in-memory H2 database
 * (one per test), and deliveries of CSV files given as text.
 */
final class PipelineFixtures {

    static final FhirContext CTX = FhirContext.forR4Cached();
    private static MappingSet mappings;

    private PipelineFixtures() {
    }

    static synchronized MappingSet mappings() {
        if (mappings == null) {
            mappings = new MappingLoader(CTX).loadDirectory(Path.of("mappings"));
        }
        return mappings;
    }

    static MappingEngine engine() {
        return new MappingEngine(mappings(), "Z");
    }

    static JdbcTemplate database() {
        return new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:mem:stage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
    }

    static MessageStore store(JdbcTemplate jdbc) {
        MessageStore store = new MessageStore(jdbc);
        store.createSchema();
        return store;
    }

    static DeliveryRun run(String deliveryId) {
        return new DeliveryRun(deliveryId, "site-07", mappings(), new IngestReport("site-07"), CTX);
    }

    /** A delivery of files given as name, content, name, content... */
    static Delivery delivery(String... namesAndContents) {
        List<DeliveryFile> files = new ArrayList<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            files.add(new DeliveryFile(namesAndContents[i], namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return new Delivery("site-07", files);
    }

    static List<MappableDataset> read(Delivery delivery, DeliveryRun run) {
        return new ReadStage(List.of(new CsvDatasetReader())).read(delivery, run);
    }

    static final String TS = """
            STUDYID,DOMAIN,TSSEQ,TSPARMCD,TSPARM,TSVAL
            S-1,TS,1,TITLE,Trial Title,A study
            """;

    static final String DM = """
            STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,BRTHDTC,SEX,ARMCD,ARM,COUNTRY
            S-1,DM,S-1-001,001,2021-05-18,2011-08-14,M,A,Arm A,IRN
            S-1,DM,S-1-002,002,2021-09-07,2007-03,F,A,Arm A,IRN
            """;

    static final String AE = """
            STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AEDECOD,AESEV,AESER,AETOXGR,AESTDTC
            S-1,AE,S-1-001,1,Nausea,Nausea,MILD,N,1,2021-05-20
            S-1,AE,S-1-001,2,Fever,Fever,MODERATE,N,2,2021-05-21
            S-1,AE,S-1-002,1,Nausea,Nausea,MILD,N,1,2021-09-10
            """;
}
