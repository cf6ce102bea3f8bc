package org.celltrial.adapter.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

/** Bulk Data $export on H2 (the default database), security on: {@link BulkExportScenarios}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BulkExportIT extends BulkExportScenarios {

    static final Path DATA = TestData.newDataDir("bulk");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        securityProperties(r, DATA);
    }

    @Override
    Path dataDir() {
        return DATA;
    }

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    /** The scenarios above ran on the embedded H2 database, as this class says. */
    @org.junit.jupiter.api.Test
    void theScenariosRanOnH2() throws Exception {
        try (java.sql.Connection c = dataSource.getConnection()) {
            org.assertj.core.api.Assertions.assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("H2");
        }
    }
}
