package org.celltrial.adapter.it;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ResearchSubject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Removed subjects, through the real inbox: a re-delivered complete study no longer has two subjects. Their resources
 * are retired in the order of their references (HAPI refuses to delete a resource still referred to; referential
 * integrity on delete is on). A subject with only DM and AE rows is removed whole: AdverseEvent, ResearchSubject and
 * Patient deleted. A subject with procedures keeps its Patient, because its Procedures, Observations and
 * administrations stay in the server as entered-in-error and still refer to it: the report says so, and the subject's
 * Provenance still names the kept Patient.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RetirementOrderIT {

    static final Path DATA = TestData.newDataDir("retire");
    static final String WHOLE = "NKAML-P1-NKAML-P1-01-009"; // DM and AE only: deleted whole
    static final String KEPT = "NKAML-P1-NKAML-P1-01-002";  // with procedures: Patient kept

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
    }

    @Value("${local.server.port}")
    int port;

    /** The AML demo study plus subject 01-009 with one DM and one AE row (and nothing with a status). */
    private static Path withExtraSubject() throws IOException {
        Path dir = DATA.resolve("src-v1");
        FileSystemUtils.copyRecursively(AdapterHarness.DEMO.resolve("nk-aml-haplo"), dir);
        append(dir.resolve("dm.csv"), line(dir.resolve("dm.csv"), "NKAML-P1-01-005").replace("01-005", "01-009")
                .replace(",005,", ",009,"));
        append(dir.resolve("ae.csv"), "99" + line(dir.resolve("ae.csv"), "NKAML-P1-01-005").replace("01-005", "01-009")
                .substring(line(dir.resolve("ae.csv"), "NKAML-P1-01-005").indexOf(',')));
        return dir;
    }

    /** The AML demo study without subject 01-002 in any dataset (and without 01-009). */
    private static Path withoutSubject() throws IOException {
        Path dir = DATA.resolve("src-v2");
        FileSystemUtils.copyRecursively(AdapterHarness.DEMO.resolve("nk-aml-haplo"), dir);
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                List<String> lines = Files.readAllLines(f);
                Files.write(f, lines.stream().filter(l -> !l.contains("NKAML-P1-01-002")).toList());
            }
        }
        return dir;
    }

    private static String line(Path csv, String containing) throws IOException {
        return Files.readAllLines(csv).stream().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }

    private static void append(Path csv, String line) throws IOException {
        String text = Files.readString(csv);
        Files.writeString(csv, (text.endsWith("\n") ? text : text + "\n") + line + "\n");
    }

    @Test
    void removedSubjectsAreRetiredReferringResourcesFirst() throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        IGenericClient fhir = harness.client();
        harness.dropFolder(withExtraSubject(), "v1");
        AdapterHarness.Outcome first = harness.awaitOutcome("v1", Duration.ofSeconds(180));
        assertThat(first.area()).as(first.report()).isEqualTo("done");
        assertThat(fhir.read().resource(Patient.class).withId(WHOLE).execute().getIdElement().getIdPart()).isEqualTo(WHOLE);
        assertThat(fhir.read().resource(AdverseEvent.class).withId(WHOLE + "-AE-1").execute()).isNotNull();

        harness.dropFolder(withoutSubject(), "v2");
        AdapterHarness.Outcome second = harness.awaitOutcome("v2", Duration.ofSeconds(180));
        assertThat(second.area()).as(second.report()).isEqualTo("done");

        // 01-009: its AdverseEvent and ResearchSubject are deleted first, so its Patient can be deleted too
        assertThatThrownBy(() -> fhir.read().resource(AdverseEvent.class).withId(WHOLE + "-AE-1").execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> fhir.read().resource(ResearchSubject.class).withId(WHOLE).execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId(WHOLE).execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThat(fhir.search().byUrl("Provenance?target=Patient/" + WHOLE).returnBundle(Bundle.class).execute()
                .getEntry()).isEmpty();

        // 01-002: procedures entered-in-error, AEs and ResearchSubject deleted, the Patient kept (still referred to)
        Bundle procedures = fhir.search().byUrl("Procedure?patient=Patient/" + KEPT).returnBundle(Bundle.class).execute();
        assertThat(procedures.getEntry()).hasSize(2).allSatisfy(e -> assertThat(((Procedure) e.getResource()).getStatus())
                .isEqualTo(Procedure.ProcedureStatus.ENTEREDINERROR));
        assertThatThrownBy(() -> fhir.read().resource(AdverseEvent.class).withId(KEPT + "-AE-1").execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> fhir.read().resource(ResearchSubject.class).withId(KEPT).execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThat(fhir.read().resource(Patient.class).withId(KEPT).execute().getIdElement().getIdPart()).isEqualTo(KEPT);
        // the refused delete was rolled back whole: the subject's Provenance still names the Patient it kept
        assertThat(fhir.search().byUrl("Provenance?target=Patient/" + KEPT).returnBundle(Bundle.class).execute()
                .getEntry()).hasSize(1);

        // DM: 01-009's Patient and ResearchSubject, 01-002's ResearchSubject deleted; 01-002's Patient kept, with why
        assertThat(second.report())
                .contains("dm.csv: 4 resource(s) of study NKAML-P1 no longer have a source row and were retired"
                        + " {DELETED=3, REFUSED=1}; 1 Patient not deleted: still referred to by retired resources kept in"
                        + " the server (")
                .contains("Procedure ENTERED_IN_ERROR")
                .contains("the server refuses to delete a referenced resource")
                .contains("ae.csv: 3 resource(s) of study NKAML-P1 no longer have a source row and were retired {DELETED=3}")
                .doesNotContain("01-002").doesNotContain("01-009");
    }
}
