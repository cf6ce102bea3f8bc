package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.celltrial.adapter.mapping.FhirIds;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real REDCap ODM 1.3 export (the GECCO project of src/test/resources/redcap-odm-export/, byte for byte the file of
 * /work/shared/reference/redcap-odm-export/) dropped into the inbox in a folder, as a user would: read by the ODM reader
 * registered with the read stage, mapped by the redcap-gecco mapping set (YAML only), stored as FHIR. Dropping the same
 * file again, in a folder or loose (as an EDC's download gives it), writes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OdmInboxIT {

    static final Path DATA = TestData.newDataDir("odm-inbox");
    static final Path EXPORT = Path.of("src/test/resources/redcap-odm-export/REDCap_Realistic_Data_2021-08-04.xml");
    static final String STUDY = "Project.NUM";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;

    private static int count(IGenericClient fhir, String query) {
        return fhir.search().byUrl(query + (query.contains("?") ? "&" : "?") + "_summary=count")
                .returnBundle(Bundle.class).execute().getTotal();
    }

    /** Versions written on the whole server since {@code since}. */
    private static List<String> versionsSince(IGenericClient fhir, java.util.Date since) {
        List<String> versions = new ArrayList<>();
        Bundle page = fhir.history().onServer().returnBundle(Bundle.class).since(since).count(500).execute();
        while (true) {
            page.getEntry().forEach(e -> versions.add(e.getResource().getIdElement().toUnqualified().getValue()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return versions;
            }
            page = fhir.loadPage().next(page).execute();
        }
    }

    private static Path folderWithExport(String name) throws Exception {
        Path dir = DATA.resolve("src-" + name);
        Files.createDirectories(dir);
        Files.copy(EXPORT, dir.resolve(EXPORT.getFileName()));
        return dir;
    }

    @Test
    void aDroppedRedcapExportLandsAndDroppingItAgainWritesNothing() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        IGenericClient fhir = harness.client();
        harness.dropFolder(folderWithExport("first"), "gecco");
        AdapterHarness.Outcome first = harness.awaitOutcome("gecco", Duration.ofSeconds(180));
        // the same rows as the REDCap source delivers from this project (RedcapSourceIT): two records carry sex codes
        // (4, 5) the export does not explain, so the delivery has problems and goes to error/ with its report
        String xml = EXPORT.getFileName().toString();
        assertThat(first.report())
                .contains(xml + ":FORM.DEMOGRAPHIE (FORM.DEMOGRAPHIE): 16 rows")
                .contains(xml + ":FORM.VITALPARAMETER (FORM.VITALPARAMETER): 27 rows")
                .contains("value '4' has no translation in 'sex'").contains("value '5' has no translation in 'sex'")
                .contains("Outcome: PROBLEMS - 38 of 43 records stored, 5 rejected");
        assertThat(first.area()).isEqualTo("error");
        assertThat(count(fhir, "Patient")).isEqualTo(8);
        Patient p = fhir.read().resource(Patient.class).withId(FhirIds.fromKey(STUDY + "-patient_048316877")).execute();
        assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1967-11-29");
        assertThat(p.getGender().toCode()).isEqualTo("female");
        assertThat(count(fhir, "Patient?identifier=https://fhir.celltrial.org/sid/usubjid%7C" + STUDY
                + "-patient_453528683")).isZero();
        // heart rates: the CSV export's 21, less the 3 of the two rejected subjects
        assertThat(count(fhir, "Observation?code=http://loinc.org%7C8867-4")).isEqualTo(18);
        int resources = count(fhir, "Patient") + count(fhir, "Observation") + count(fhir, "Provenance");

        Thread.sleep(50); // _since compares at millisecond precision
        java.util.Date before = new java.util.Date();
        harness.dropFolder(folderWithExport("again"), "gecco-again");
        AdapterHarness.Outcome again = harness.awaitOutcome("gecco-again", Duration.ofSeconds(180));
        assertThat(again.report()).contains("Outcome: PROBLEMS - 38 of 43 records stored, 5 rejected");
        assertThat(versionsSince(fhir, before)).isEmpty();
        assertThat(count(fhir, "Patient") + count(fhir, "Observation") + count(fhir, "Provenance")).isEqualTo(resources);
        assertThat(count(fhir, "Observation?code=http://loinc.org%7C8867-4")).isEqualTo(18);

        // loose, as the EDC's download gives it: a delivery of that one file
        Path staging = harness.inbox().resolve(".gecco-loose.xml.partial");
        Files.copy(EXPORT, staging);
        Files.move(staging, harness.inbox().resolve("gecco-loose.xml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        AdapterHarness.Outcome loose = harness.awaitOutcome("gecco-loose.xml", Duration.ofSeconds(180));
        assertThat(loose.report()).contains("gecco-loose.xml:FORM.DEMOGRAPHIE (FORM.DEMOGRAPHIE): 16 rows")
                .contains("Outcome: PROBLEMS - 38 of 43 records stored, 5 rejected");
        assertThat(harness.inbox().resolve("gecco-loose.xml")).doesNotExist();
        assertThat(versionsSince(fhir, before)).isEmpty();
    }
}
