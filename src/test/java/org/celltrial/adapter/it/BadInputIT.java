package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A delivery with mistakes real sites make: a malformed date, a dataset missing a required column, an unknown
 * domain file, rows referring to an unknown subject, a non-numeric dose. Each problem is reported with file,
 * row and column beside the delivery in error/, and every good record of the same delivery still lands.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BadInputIT {

    static final Path DATA = TestData.newDataDir("bad");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void badRecordsAreReportedWithFileRowAndColumnAndGoodRecordsLand() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(Path.of("src/test/resources/bad-study"), "bad-study");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("bad-study", Duration.ofSeconds(120));
        String report = outcome.report();

        assertThat(outcome.area()).isEqualTo("error");
        // the delivery itself is kept beside its report, nothing is lost
        try (var s = Files.list(DATA.resolve("error"))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-bad-study"));
        }
        assertThat(report).contains("dm.csv row 2 column BRTHDTC: '2010-13-45' is not a valid calendar date");
        assertThat(report).contains("ae.csv (whole file) column AETERM: required column AETERM missing from the header row");
        assertThat(report).contains("pr.csv row 3 column USUBJID: unknown subject");
        assertThat(report).contains("pr.csv row 4 column USUBJID: unknown subject"); // its DM row was rejected
        // a custom domain no mapping covers is listed as not mapped, with its rows, and rejects nothing
        assertThat(report).contains("Not mapped (no mapping file in mappings/ covers these datasets").contains("zz.csv (ZZ): 1 rows");
        assertThat(report).doesNotContain("zz.csv (whole file)");
        assertThat(report).contains("ex.csv row 1 column EXDOSE: 'one' is not a number");
        // 1 TS + 3 DM + 4 PR + 2 EX + 1 AE records were read; 1 DM + 2 PR + 1 EX + the AE file's 1 were rejected
        assertThat(report).contains("6 of 11 records stored, 5 rejected");

        IGenericClient fhir = harness.client();
        assertThat(fhir.read().resource(Patient.class).withId("BAD-01-BAD-01-001").execute().getBirthDateElement()
                .getValueAsString()).isEqualTo("2015-06");
        assertThat(fhir.read().resource(Patient.class).withId("BAD-01-BAD-01-003").execute()).isNotNull();
        assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId("BAD-01-BAD-01-002").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(fhir.read().resource(Procedure.class).withId("BAD-01-BAD-01-001-PR-1").execute().getStatus().toCode())
                .isEqualTo("completed");
        assertThat(fhir.read().resource(MedicationAdministration.class).withId("BAD-01-BAD-01-003-EX-1").execute()
                .getDosage().getDose().getCode()).isEqualTo("10*6/kg");
        assertThat(fhir.search().byUrl("Procedure?patient=Patient/BAD-01-BAD-01-009").returnBundle(Bundle.class)
                .execute().getEntry()).isEmpty();
        assertThat(fhir.search().byUrl("AdverseEvent?study=ResearchStudy/BAD-01").returnBundle(Bundle.class)
                .execute().getEntry()).isEmpty();
        assertThatThrownBy(() -> fhir.read().resource(MedicationAdministration.class).withId("BAD-01-BAD-01-001-EX-1").execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aRecordBreakingAProfileIsRejectedAndOneWithAnUnmappedCodeLandsWithAWarning() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(Path.of("src/test/resources/profile-breaker"), "profile-breaker");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("profile-breaker", Duration.ofSeconds(120));
        String report = outcome.report();
        assertThat(outcome.area()).isEqualTo("error");
        // AESER is optional in SDTM and in the mapping, but our AdverseEvent profile requires seriousness
        assertThat(report).contains("ae.csv row 2: AdverseEvent/PB-01-PB-01-001-AE-2 does not conform to "
                + "https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent").contains("seriousness");
        // the open world: a severity our ConceptMap does not know lands, flagged, and is listed as a warning
        assertThat(report).contains("ae.csv column AESEV: 'VERY BAD' has no translation in "
                + "'https://fhir.celltrial.org/ConceptMap/sdtm-aesev' (1 row: 3)");
        assertThat(report).contains("3 of 4 records stored, 1 rejected");

        IGenericClient fhir = harness.client();
        assertThat(fhir.read().resource(org.hl7.fhir.r4.model.AdverseEvent.class).withId("PB-01-PB-01-001-AE-1").execute())
                .isNotNull();
        org.hl7.fhir.r4.model.AdverseEvent flagged = fhir.read().resource(org.hl7.fhir.r4.model.AdverseEvent.class)
                .withId("PB-01-PB-01-001-AE-3").execute();
        assertThat(flagged.hasSeverity()).isFalse(); // R4 binds severity (required): the value stays in the flag
        assertThat(flagged.getExtensionByUrl("https://fhir.celltrial.org/StructureDefinition/data-quality-issue")
                .getExtensionString("value")).isEqualTo("VERY BAD");
        assertThat(fhir.search().byUrl("AdverseEvent?_tag=https://fhir.celltrial.org/CodeSystem/data-quality-issue-type%7Cunmapped-term")
                .returnBundle(Bundle.class).execute().getEntry()).hasSize(1);
        assertThatThrownBy(() -> fhir.read().resource(org.hl7.fhir.r4.model.AdverseEvent.class).withId("PB-01-PB-01-001-AE-2").execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void rowsSharingADatasetKeyAreAllRejectedNamingTheRowsAndNothingIsOverwritten() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        Path src = DATA.resolve("src-duplicates");
        Files.createDirectories(src);
        Files.writeString(src.resolve("dm.csv"), "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,BRTHDTC,SEX\n"
                + "DUP-01,DM,DUP-01-001,001,2023-05-01,2015-01,F\n"
                + "DUP-01,DM,DUP-01-002,002,2023-05-01,2014-02,M\n"
                + "DUP-01,DM,DUP-01-002,002,2023-05-02,2013-03,F\n");
        Files.writeString(src.resolve("ae.csv"), "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AESER,AESTDTC\n"
                + "DUP-01,AE,DUP-01-001,1,Nausea,N,2023-05-03\n"
                + "DUP-01,AE,DUP-01-001,1,Fever,N,2023-05-04\n"
                + "DUP-01,AE,DUP-01-001,2,Rash,N,2023-05-05\n");
        harness.dropFolder(src, "duplicates");
        AdapterHarness.Outcome outcome = harness.awaitOutcome("duplicates", Duration.ofSeconds(120));
        String report = outcome.report();
        assertThat(report).contains("dm.csv row 2 column STUDYID, USUBJID: duplicate key: dm.csv row 2, dm.csv row 3 share the key");
        assertThat(report).contains("dm.csv row 3 column STUDYID, USUBJID: duplicate key");
        assertThat(report).contains("ae.csv row 1 column STUDYID, USUBJID, AESEQ: duplicate key: ae.csv row 1, ae.csv row 2 share the key");
        assertThat(report).contains("2 of 6 records stored, 4 rejected");
        IGenericClient fhir = harness.client();
        assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId("DUP-01-DUP-01-002").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> fhir.read().resource(org.hl7.fhir.r4.model.AdverseEvent.class).withId("DUP-01-DUP-01-001-AE-1")
                .execute()).isInstanceOf(ResourceNotFoundException.class);
        assertThat(fhir.read().resource(org.hl7.fhir.r4.model.AdverseEvent.class).withId("DUP-01-DUP-01-001-AE-2").execute()
                .getEvent().getText()).isEqualTo("Rash");
    }

    @Test
    void aDeliveryThatIsNotAZipAtAllGoesToErrorWithAReason() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        Path staging = harness.inbox().resolve(".broken.zip.partial");
        Files.writeString(staging, "this is not a zip file");
        Files.move(staging, harness.inbox().resolve("broken.zip"));
        AdapterHarness.Outcome outcome = harness.awaitOutcome("broken", Duration.ofSeconds(60));
        assertThat(outcome.area()).isEqualTo("error");
        assertThat(outcome.report()).contains("broken.zip").contains("no SDTM datasets");
    }
}
