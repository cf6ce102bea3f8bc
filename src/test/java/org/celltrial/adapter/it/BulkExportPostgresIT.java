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
}
