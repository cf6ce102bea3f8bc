package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.mapping.FhirIds;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A site's staging table on a real PostgreSQL ({@code celltrial_site_staging}, a database of its own), polled by its
 * {@code updated_at} column: rows land as SDTM DM records, an updated row becomes a new version, a deleted one is
 * retired, and the source database is never written (its content and write counters are unchanged).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JdbcSourceIT {

    static final Path DATA = TestData.newDataDir("jdbc");
    static final ObjectMapper JSON = new ObjectMapper();
    static String stagingUrl;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        stagingUrl = TestPostgres.freshDatabase("celltrial_site_staging");
        try (Connection c = staging(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dm_staging (studyid TEXT NOT NULL, domain TEXT, usubjid TEXT NOT NULL, subjid TEXT,"
                    + " rfstdtc TEXT, brthdtc TEXT, age INT, ageu TEXT, sex TEXT, race TEXT, country TEXT,"
                    + " updated_at TIMESTAMP NOT NULL, PRIMARY KEY (studyid, usubjid))");
            s.execute("INSERT INTO dm_staging VALUES"
                    + " ('SITE-X','DM','SITE-X-001','001','2021-05-18','2011-08-14',9,'YEARS','M','WHITE','IRN','2024-01-01 10:00:00'),"
                    + " ('SITE-X','DM','SITE-X-002','002','2021-09-07','2007-03',14,'YEARS','F','WHITE','IRN','2024-01-01 10:00:00'),"
                    + " ('SITE-X','DM','SITE-X-003','003','2022-01-25','2015-11-02',6,'YEARS','M','ASIAN','IRN','2024-01-01 10:00:01')");
        }
        Path password = DATA.resolve("staging.password");
        Files.writeString(password, TestPostgres.PASSWORD);
        TestData.h2Properties(r, DATA);
        String s = "celltrial.sources[0].";
        r.add(s + "id", () -> "site-db");
        r.add(s + "type", () -> "jdbc");
        r.add(s + "schedule", () -> "1h");
        r.add(s + "initial-delay", () -> "1h");
        r.add(s + "connection.url", () -> stagingUrl);
        r.add(s + "connection.user", () -> TestPostgres.USER);
        r.add(s + "connection.password-file", password::toString);
        r.add(s + "connection.table", () -> "dm_staging");
        r.add(s + "connection.dataset", () -> "DM");
        r.add(s + "connection.watermark-column", () -> "updated_at");
        r.add(s + "connection.key-columns", () -> "studyid, usubjid");
    }

    static Connection staging() throws Exception {
        return DriverManager.getConnection(stagingUrl, TestPostgres.USER, TestPostgres.PASSWORD);
    }

    @Value("${local.server.port}")
    int port;

    private IGenericClient fhir() {
        return new AdapterHarness(DATA, port).client();
    }

    private JsonNode run() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/sources/site-db/run")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("\"" + TestPostgres.PASSWORD + "\"");
        return JSON.readTree(r.body());
    }

    private String delivered(JsonNode state) throws Exception {
        assertThat(state.get("lastOutcome").asText()).as(state.toString()).isEqualTo("delivered");
        AdapterHarness.Outcome o = new AdapterHarness(DATA, port).awaitOutcome(state.get("lastDelivery").asText(),
                Duration.ofSeconds(90));
        assertThat(o.area()).as(o.report()).isEqualTo("done");
        assertThat(o.report()).contains("DM.csv (DM)");
        return o.report();
    }

    private Patient patient(String usubjid) {
        return fhir().read().resource(Patient.class).withId(FhirIds.fromKey("SITE-X-" + usubjid)).execute();
    }

    /** The staging table's content: equal before and after every pull. */
    private static String fingerprint() throws Exception {
        try (Connection c = staging(); Statement s = c.createStatement()) {
            StringBuilder b = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SELECT md5(string_agg(t::text, '|' ORDER BY usubjid)) FROM dm_staging t")) {
                rs.next();
                b.append(rs.getString(1));
            }
            return b.toString();
        }
    }


    @Test
    @Order(1)
    void rowsLandAsDmRecordsAndTheSourceIsOnlyRead() throws Exception {
        String before = fingerprint();
        JsonNode state = run();
        delivered(state);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(patient("SITE-X-001").getGender().toCode()).isEqualTo("male");
        assertThat(patient("SITE-X-003").getBirthDateElement().getValueAsString()).isEqualTo("2015-11-02");
        assertThat(state.get("watermark").asText()).startsWith("2024-01-01 10:00:01"); // the column's value, not our clock
        assertThat(state.get("counts").get("recordsFetched").asLong()).isEqualTo(3);
        assertThat(state.get("system").get("table").asText()).isEqualTo("dm_staging");
    }

    @Test
    @Order(2)
    void anUpdatedRowBecomesANewVersionAndADeletedOneIsRetired() throws Exception {
        try (Connection c = staging(); Statement s = c.createStatement()) {
            s.execute("UPDATE dm_staging SET age = 10, updated_at = '2024-01-02 08:00:00' WHERE usubjid = 'SITE-X-001'");
            s.execute("DELETE FROM dm_staging WHERE usubjid = 'SITE-X-002'");
        }
        String before = fingerprint();
        JsonNode state = run();
        String report = delivered(state);
        assertThat(fingerprint()).isEqualTo(before);
        Patient p = patient("SITE-X-001");
        assertThat(p.getMeta().getVersionId()).isEqualTo("2");
        assertThat(patient("SITE-X-003").getMeta().getVersionId()).isEqualTo("1");
        // the deleted row's ResearchSubject and Patient are deleted: the ResearchSubject first, since it refers to the
        // Patient (the retirement goes in reference order; nothing else of the subject exists)
        assertThatThrownBy(() -> fhir().read().resource(org.hl7.fhir.r4.model.ResearchSubject.class)
                .withId(FhirIds.fromKey("SITE-X-SITE-X-002")).execute()).isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> fhir().read().resource(Patient.class)
                .withId(FhirIds.fromKey("SITE-X-SITE-X-002")).execute()).isInstanceOf(ResourceGoneException.class);
        assertThat(report).contains("DM.csv: 2 resource(s) of study SITE-X no longer have a source row and were retired"
                + " {DELETED=2}");
        assertThat(state.get("counts").get("recordsDeleted").asLong()).isEqualTo(1);
        assertThat(state.get("watermark").asText()).startsWith("2024-01-02 08:00:00");
    }

    @Test
    @Order(3)
    void rowsAtTheWatermarkAreReadAgainButChangeNothing() throws Exception {
        // a row committed later with the same updated_at as the watermark is not missed
        try (Connection c = staging(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO dm_staging VALUES ('SITE-X','DM','SITE-X-004','004','2022-02-01','2010-01-01',12,"
                    + "'YEARS','F','WHITE','IRN','2024-01-02 08:00:00')");
        }
        JsonNode state = run();
        delivered(state);
        assertThat(patient("SITE-X-004").getGender().toCode()).isEqualTo("female");
        JsonNode idle = run();
        assertThat(idle.get("lastOutcome").asText()).isEqualTo("unchanged");
        assertThat(idle.get("counts").get("deliveries").asLong()).isEqualTo(3);
    }
}
