package org.celltrial.adapter.it;

import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.dao.ResourceHistoryCalculator;
import ca.uhn.fhir.jpa.dao.SinglePassHashResourceHistoryCalculator;
import ca.uhn.fhir.jpa.searchparam.extractor.ISearchParamExtractor;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.celltrial.adapter.hapi.HapiTables;
import org.celltrial.adapter.hapi.ResourceRowForeignKeys;
import org.celltrial.adapter.hapi.SimplePathSearchParamExtractor;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrade canaries that need the running application (the others: {@code hapi/HapiUpgradeCanaryTest}). Each assertion
 * names the HAPI-COUPLING it guards: our replacement beans are the ones HAPI uses, expunge (the only way HAPI would
 * delete a resource's row, which the foreign keys we leave out would otherwise guard) is refused however it is asked
 * for, and a FHIR delete keeps the resource's row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HapiUpgradeCanaryIT {

    static final Path DATA = TestData.newDataDir("canary");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;
    @Autowired
    ResourceHistoryCalculator historyCalculator;
    @Autowired
    ISearchParamExtractor searchParamExtractor;
    @Autowired
    JpaStorageSettings storageSettings;
    @Autowired
    ResourceRowForeignKeys resourceRowForeignKeys;
    @Autowired
    DaoRegistry daos;
    @Autowired
    DataSource dataSource;
    @Autowired
    org.springframework.core.env.Environment environment;
    @Autowired
    org.springframework.context.ApplicationContext applicationContext;

    @Test
    void ourReplacementBeansAreTheOnesHapiUses() {
        assertThat(historyCalculator)
                .as("HAPI-COUPLING JpaBeanSwaps#singlePassResourceHash: HAPI no longer registers a bean of exactly "
                        + "ResourceHistoryCalculator, so the swap did not happen")
                .isInstanceOf(SinglePassHashResourceHistoryCalculator.class);
        assertThat(searchParamExtractor)
                .as("HAPI-COUPLING JpaBeanSwaps#simplePathSearchParamExtractor: HAPI no longer registers a bean of exactly "
                        + "SearchParamExtractorR4, so the swap did not happen")
                .isInstanceOf(SimplePathSearchParamExtractor.class);
        assertThat(daos)
                .as("HAPI-COUPLING JpaBeanSwaps#chainTolerantDaoRegistry: HAPI no longer registers a bean of exactly "
                        + "DaoRegistry (or creates it before the swap can happen)")
                .isInstanceOf(org.celltrial.adapter.hapi.ChainTolerantDaoRegistry.class);
    }

    @Test
    void onlyTheServedResourceTypesHaveDaosProvidersAndAnEntryInTheCapabilityStatement() throws Exception {
        java.util.Set<String> listed = org.celltrial.adapter.hapi.ServedResourceTypes.from(environment).listed();
        assertThat(listed).as("the served types, as application.yaml lists them").contains("Patient", "List", "Task").hasSize(26);
        assertThat(daos.getRegisteredDaoTypes())
                .as("HAPI-COUPLING ServedResourceTypes: HAPI's DAOs are exactly the served types (List's model class is ListResource)")
                .containsExactlyInAnyOrderElementsOf(listed);
        assertThat(applicationContext.getBeansOfType(ca.uhn.fhir.jpa.api.dao.IFhirResourceDao.class))
                .as("no DAO bean of an unserved type is created").hasSize(listed.size());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/metadata"))
                .header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
        org.hl7.fhir.r4.model.CapabilityStatement cs = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.CapabilityStatement.class, metadata.body());
        java.util.Set<String> inCapabilityStatement = new java.util.TreeSet<>();
        cs.getRestFirstRep().getResource().forEach(r -> inCapabilityStatement.add(r.getType()));
        java.util.Set<String> expected = new java.util.TreeSet<>(listed);
        expected.add("OperationDefinition"); // HAPI's server answers reads of its operations' definitions itself
        assertThat(inCapabilityStatement).as("the CapabilityStatement lists the served types").containsExactlyInAnyOrderElementsOf(expected);
        HttpResponse<String> account = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Account"))
                .header("Accept", "application/fhir+json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(account.statusCode()).as("a type not served is unknown here").isEqualTo(404);
        assertThat(account.body()).contains("Unknown resource type 'Account'");

        // an unqualified chain over a reference that may point at a type not served (Observation.subject: Patient,
        // Group, Device, Location; Location is not served): HAPI's chain builder skips the types without a DAO
        org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
        patient.addIdentifier().setSystem("urn:canary").setValue("chain-1");
        IIdType patientId = daos.getResourceDao(org.hl7.fhir.r4.model.Patient.class).create(patient, new SystemRequestDetails()).getId();
        org.hl7.fhir.r4.model.Observation observation = new org.hl7.fhir.r4.model.Observation();
        observation.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL).getCode().setText("canary");
        observation.getSubject().setReference(patientId.toUnqualifiedVersionless().getValue());
        daos.getResourceDao(org.hl7.fhir.r4.model.Observation.class).create(observation, new SystemRequestDetails());
        HttpResponse<String> chain = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/fhir/Observation?subject.identifier=urn:canary%7Cchain-1")).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chain.statusCode())
                .as("HAPI-COUPLING ChainTolerantDaoRegistry: Observation?subject.identifier with Location not served: " + chain.body())
                .isEqualTo(200);
        assertThat(ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, chain.body()).getEntry())
                .as("the chain finds the Observation of the Patient with that identifier").hasSize(1);
        HttpResponse<String> unserved = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/fhir/Observation?subject:Location.name=x")).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unserved.statusCode()).as("a chain that names an unserved type still says so").isEqualTo(400);
        HttpResponse<String> typed = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/fhir/Observation?subject:Patient.identifier=urn:x%7Cy")).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(typed.statusCode()).as("the chain that names its type works").isEqualTo(200);
    }

    @Test
    void expungeIsRefusedHoweverItIsAskedFor() throws Exception {
        assertThat(storageSettings.isExpungeEnabled() || storageSettings.isDeleteExpungeEnabled())
                .as("HAPI-COUPLING ResourceRowForeignKeys: expunge must be off for the foreign keys to be left out")
                .isFalse();
        assertThat(resourceRowForeignKeys.leftOut()).as("the keys left out").isNotEmpty();
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[]{"/fhir/$expunge", "/fhir/Patient/$expunge", "/fhir/Patient/x/$expunge"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Parameters\",\"parameter\":["
                            + "{\"name\":\"expungeEverything\",\"valueBoolean\":true}]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("POST " + path + " is refused").isBetween(400, 499);
        }
    }

    @Test
    void aFhirDeleteKeepsTheResourcesRow() throws Exception {
        Patient p = new Patient();
        p.addIdentifier().setSystem("urn:canary").setValue("c-1");
        IIdType id = daos.getResourceDao(Patient.class).create(p, new SystemRequestDetails()).getId().toUnqualifiedVersionless();
        long before = resourceRows();
        daos.getResourceDao(Patient.class).delete(id, new SystemRequestDetails());
        assertThat(resourceRows())
                .as("HAPI-COUPLING ResourceRowForeignKeys: a FHIR delete must only mark the resource deleted (its row "
                        + "is what the left-out foreign keys point at)")
                .isEqualTo(before);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + HapiTables.RESOURCE
                     + " where RES_TYPE = 'Patient' and RES_DELETED_AT is not null")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the deleted Patient's row is kept, marked deleted").isEqualTo(1);
        }
    }

    private long resourceRows() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from " + HapiTables.RESOURCE)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
