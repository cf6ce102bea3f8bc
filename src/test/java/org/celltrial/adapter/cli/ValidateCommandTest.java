package org.celltrial.adapter.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code validate} as the jar runs it (CellTrialCli.run, no Spring). */
class ValidateCommandTest {

    private static final Path GENERATED = Path.of("fhir-profiles/fsh-generated/resources");
    private static final Path INVALID = Path.of("fhir-profiles/examples-invalid");

    @TempDir
    static Path tmp;
    static Path mixed;
    static Path validOnly;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void folders() throws IOException {
        validOnly = Files.createDirectories(tmp.resolve("valid"));
        copy(GENERATED.resolve("Patient-NKAML-P1-NKAML-P1-01-001.json"), validOnly.resolve("patient.json"));
        Path nested = Files.createDirectories(validOnly.resolve("study/procedures"));
        copy(GENERATED.resolve("Procedure-NKAML-P1-NKAML-P1-01-001-PR-2.json"), nested.resolve("pr2.json"));
        copy(GENERATED.resolve("ResearchStudy-NKAML-P1.json"), nested.resolve("study.json"));
        Files.writeString(validOnly.resolve("notes.txt"), "not looked at: neither .json nor .xml");

        mixed = Files.createDirectories(tmp.resolve("mixed"));
        copy(GENERATED.resolve("Patient-NKAML-P1-NKAML-P1-01-002.json"), mixed.resolve("a-valid-patient.json"));
        copy(INVALID.resolve("Patient-without-birthdate.json"), mixed.resolve("b-patient-without-birthdate.json"));
        copy(INVALID.resolve("MedicationAdministration-dose-without-ucum-code.json"), mixed.resolve("c-dose-without-ucum.json"));
        Files.writeString(mixed.resolve("d-not-fhir.json"), "STUDYID,DOMAIN,USUBJID\nNKAML-P1,DM,001\n");
        Files.writeString(mixed.resolve("e-bundle.json"), """
                {"resourceType": "Bundle", "type": "collection", "entry": [
                  {"fullUrl": "urn:uuid:6b1a7c3e-0000-4000-8000-000000000001", "resource": %s},
                  {"fullUrl": "urn:uuid:6b1a7c3e-0000-4000-8000-000000000002", "resource": %s}]}
                """.formatted(Files.readString(GENERATED.resolve("Observation-NKAML-P1-NKAML-P1-01-001-CE-1.json")),
                Files.readString(INVALID.resolve("Procedure-without-performed.json"))));
    }

    @Test
    void mixedFolderReportsEveryProblemAndExitsWith1() {
        Run run = run("validate", mixed.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out())
                .contains("b-patient-without-birthdate.json: error Patient: Constraint failed: ct-pat-1: 'Birth date or age required")
                .contains("c-dose-without-ucum.json: error MedicationAdministration.dosage.dose: MedicationAdministration.dosage.dose.code: minimum required = 1")
                .contains("d-not-fhir.json: error: not a FHIR JSON or XML file")
                .contains("e-bundle.json: error Bundle.entry[1].resource: Procedure.performed[x]: minimum required = 1")
                // 4 files with errors (2 invalid examples, 1 non-FHIR, the bundle), 5 files, 1+1+1+0+3 resources,
                // errors: birthDate 1 + dose 2 + not FHIR 1 + bundle entry 1 (found by bundle and entry validation, listed once)
                .contains("Summary: 5 files (4 with errors), 6 resources, 5 errors,");
        assertThat(run.out().lines().filter(l -> l.contains("e-bundle.json: error"))).hasSize(1);
        assertThat(run.out()).doesNotContain("a-valid-patient.json: error");
    }

    @Test
    void validOnlyFolderExitsWith0() {
        Run run = run("validate", "--quiet", validOnly.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Summary: 3 files (0 with errors), 3 resources, 0 errors,");
        assertThat(run.out().lines()).hasSize(1); // --quiet: only the summary (and errors: none)
    }

    @Test
    void jsonFormatGivesAnOperationOutcomePerFileAndTheSummary() {
        Run run = run("validate", "--format", "json", "--threads", "1", mixed.resolve("b-patient-without-birthdate.json").toString(),
                validOnly.resolve("patient.json").toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        JsonObject doc = JsonParser.parseString(run.out()).getAsJsonObject();
        assertThat(doc.getAsJsonArray("files")).hasSize(2);
        JsonObject first = doc.getAsJsonArray("files").get(0).getAsJsonObject();
        assertThat(first.get("file").getAsString()).endsWith("b-patient-without-birthdate.json");
        assertThat(first.get("errors").getAsInt()).isEqualTo(1);
        JsonObject outcome = first.getAsJsonObject("outcome");
        assertThat(outcome.get("resourceType").getAsString()).isEqualTo("OperationOutcome");
        assertThat(outcome.toString()).contains("ct-pat-1");
        assertThat(doc.getAsJsonObject("summary").get("errors").getAsInt()).isEqualTo(1);
        assertThat(doc.getAsJsonObject("summary").get("resources").getAsInt()).isEqualTo(2);
    }

    @Test
    void forcedProfileAndUsageErrors() {
        Run forced = run("validate", "--quiet", "--profile", "https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent",
                validOnly.resolve("patient.json").toString());
        assertThat(forced.exit()).as(forced.toString()).isEqualTo(1);
        assertThat(forced.out()).contains("patient.json: error");

        assertThat(run("validate", tmp.resolve("does-not-exist").toString()).exit()).isEqualTo(2);
        assertThat(run("validate").exit()).isEqualTo(2);
        assertThat(run("validate", "--format", "yaml", validOnly.toString()).exit()).isEqualTo(2);
        assertThat(run("validate", "--profile", "https://example.org/unknown", validOnly.toString()).exit()).isEqualTo(2);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = CellTrialCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
}
