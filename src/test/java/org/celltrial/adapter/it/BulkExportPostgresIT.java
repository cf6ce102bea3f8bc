package org.celltrial.adapter.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

/**
 * Bulk Data $export on PostgreSQL (a database of its own), security on, every delivery streamed:
 * {@link BulkExportScenarios}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class BulkExportPostgresIT extends BulkExportScenarios {

    static final Path DATA = TestData.newDataDir("bulk-pg");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        String url = TestPostgres.freshDatabase("celltrial_it_bulk");
        securityProperties(r, DATA);
        TestPostgres.properties(r);
        r.add("spring.datasource.url", () -> url);
        // every delivery takes the streamed path (the big deliveries' one), 2 subjects a chunk: the study Groups follow it too
        r.add("celltrial.ingest.stream-above-bytes", () -> "0");
        r.add("celltrial.ingest.subjects-per-chunk", () -> "2");
    }

    @Override
    Path dataDir() {
        return DATA;
    }

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;
    @org.springframework.beans.factory.annotation.Autowired
    org.celltrial.adapter.ingest.pipeline.DeliveryPipeline pipeline;

    /** The scenarios above ran on PostgreSQL, with the deliveries streamed 2 subjects a chunk, as this class says. */
    @org.junit.jupiter.api.Test
    void theScenariosRanOnPostgresWithStreamedDeliveries() throws Exception {
        try (java.sql.Connection c = dataSource.getConnection()) {
            org.assertj.core.api.Assertions.assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        org.assertj.core.api.Assertions.assertThat(pipeline.lastHeld()).as("a delivery took the streamed path").isNotNull();
        org.assertj.core.api.Assertions.assertThat(pipeline.lastHeld().maxSubjects()).isBetween(1, 2);
    }
}
