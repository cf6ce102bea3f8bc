package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The adapter on its production database: the postgres profile against a real PostgreSQL server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class PostgresEndToEndIT {

    static final Path DATA = TestData.newDataDir("pg");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestPostgres.resetDatabase();
        TestData.h2Properties(r, DATA);
        TestPostgres.properties(r);
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    ca.uhn.fhir.jpa.dao.ResourceHistoryCalculator resourceHistoryCalculator;

    @Test
    void hapisResourceHashIsComputedInOnePass() {
        // the bean HAPI's DAOs use (server/HapiJpaConfig swaps it; the hash itself is tested against HAPI's)
        assertThat(resourceHistoryCalculator).isInstanceOf(ca.uhn.fhir.jpa.dao.SinglePassHashResourceHistoryCalculator.class);
    }

    @Autowired
    ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorService searchParamExtractorService;

    @Test
    void searchParameterValuesAreExtractedBySimplePaths() {
        // the extractor HAPI's indexing uses (server/HapiJpaConfig swaps it; its values are tested against HAPI's)
        assertThat(org.springframework.test.util.ReflectionTestUtils.getField(searchParamExtractorService, "mySearchParamExtractor"))
                .isInstanceOf(org.celltrial.adapter.hapi.SimplePathSearchParamExtractor.class);
    }

    @Autowired
    org.celltrial.adapter.ingest.fhir.SubjectWriter subjectWriter;

    @Test
    void onPostgresIdsAreLookedUpManyPerQuery() {
        assertThat(subjectWriter.idsPerLookup()).isEqualTo(org.celltrial.adapter.ingest.fhir.SubjectWriter.IDS_PER_LOOKUP);
    }

    @Autowired
    org.celltrial.adapter.hapi.ResourceRowForeignKeys resourceRowForeignKeys;

    @Test
    void theRowsWrittenWithAResourceHaveNoForeignKeyToItAndOtherTablesKeepTheirs() throws Exception {
        assertThat(resourceRowForeignKeys.leftOut()).contains("HFJ_SPIDX_TOKEN.FK_SP_TOKEN_RES",
                "HFJ_RES_LINK.FK_RESLINK_TARGET", "HFJ_RES_VER.FK_RESOURCE_HISTORY_RESOURCE");
        // a fresh database: Hibernate's schema update created none of them, so the start had none to drop
        assertThat(resourceRowForeignKeys.droppedAtStart()).isZero();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            // a database created by an earlier version still has them: the next start drops them
            st.execute("ALTER TABLE hfj_spidx_token ADD CONSTRAINT fk_sp_token_res FOREIGN KEY (res_id) REFERENCES hfj_resource (res_id)");
            st.execute("ALTER TABLE hfj_res_link ADD CONSTRAINT fk_reslink_target FOREIGN KEY (target_resource_id)"
                    + " REFERENCES hfj_resource (res_id)");
        }
        assertThat(resourceRowForeignKeys.dropExisting(dataSource, null)).isEqualTo(2);
        try (Connection c = dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
                     + " AND confrelid = 'hfj_resource'::regclass")) {
            java.util.List<String> referencing = new java.util.ArrayList<>();
            while (rs.next()) {
                referencing.add(rs.getString(1));
            }
            assertThat(referencing).contains("trm_codesystem", "trm_valueset", "npm_package_ver")
                    .noneMatch(t -> t.startsWith("hfj_spidx_") || t.startsWith("hfj_res_") || t.startsWith("hfj_idx_"));
        }
        assertThat(resourceRowForeignKeys.dropExisting(dataSource, null)).isZero();
    }

    @Autowired
    org.celltrial.adapter.ingest.store.MessageStore messageStore;

    @Test
    void aRecordsStatusIsInNoIndexSoItsUpdatesCanBeMadeInPlace() throws Exception {
        // a database written by an earlier version has the status in an index: the next start replaces it
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE INDEX IF NOT EXISTS ct_record_delivery ON ct_record (delivery_id, status)");
        }
        messageStore.createSchema();
        try (Connection c = dataSource.getConnection(); var st = c.createStatement()) {
            java.util.List<String> indexes = new java.util.ArrayList<>();
            try (var rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'ct_record'")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            // the primary key, the delivery, and the streamed ingest's (delivery, subject key): columns never updated
            assertThat(indexes).hasSize(3).noneMatch(d -> d.contains("status")).anyMatch(d -> d.endsWith("(delivery_id)"))
                    .anyMatch(d -> d.endsWith("(delivery_id, subject_key)"));
            try (var rs = st.executeQuery("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'ct_record'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("fillfactor=50");
            }
        }
    }

    @Test
    void demoStudyLandsInPostgresAndIsServedOverHttp() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-nb-auto"), "nb-pg");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("nb-pg", Duration.ofSeconds(120));
        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");

        IGenericClient fhir = harness.client();
        assertThat(fhir.search().byUrl("Patient?_summary=count").returnBundle(Bundle.class).execute().getTotal()).isEqualTo(5);
        assertThat(fhir.search().byUrl("ResearchStudy?identifier=IRCT20140818018842N32").returnBundle(Bundle.class)
                .execute().getEntry()).hasSize(1);
        MedicationAdministration nk = (MedicationAdministration) fhir.search()
                .byUrl("MedicationAdministration?code=https://fhir.celltrial.org/CodeSystem/celltrial-concepts|nk-cells-il2-expanded-haplo&patient=Patient/NKNB-P12-NKNB-P12-01-001")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource();
        assertThat(nk.getDosage().getDose().getCode()).isEqualTo("10*6/kg");
        AdverseEvent ae = fhir.read().resource(AdverseEvent.class).withId("NKNB-P12-NKNB-P12-01-001-AE-2").execute();
        assertThat(ae.getEvent().getText()).isEqualTo("Oral mucositis");

        // re-delivery on PostgreSQL: still one version of everything
        harness.dropFolder(AdapterHarness.DEMO.resolve("nk-nb-auto"), "nb-pg-again");
        assertThat(harness.awaitOutcome("nb-pg-again", Duration.ofSeconds(120)).area()).isEqualTo("done");
        assertThat(fhir.read().resource(Patient.class).withId("NKNB-P12-NKNB-P12-01-001").execute()
                .getMeta().getVersionId()).isEqualTo("1");
        assertThat(fhir.search().byUrl("Patient?_summary=count").returnBundle(Bundle.class).execute().getTotal()).isEqualTo(5);
    }
}
