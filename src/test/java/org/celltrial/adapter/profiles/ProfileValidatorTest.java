package org.celltrial.adapter.profiles;

import ca.uhn.fhir.rest.api.EncodingEnum;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.celltrial.adapter.cli.DemoStudyResources;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileValidatorTest {

    /** Known, pending in mappings/ae.yaml and the IG's AdverseEvent examples (fhir-profiles/README.md "Known gaps"). */
    private static final String OUTCOME_EXTRA_CODING = "None of the codings provided are in the value set 'AdverseEventOutcome'";
    private static final String SERIOUSNESS_NOT_IN_VS = "None of the codings provided are in the value set 'AdverseEventSeriousness'";
    private static final String SERIOUSNESS_UNKNOWN = "Unknown code 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness#";

    @Test
    void validExamplesOfTheIgHaveNoErrorsExceptTheKnownAdverseEventOutcomeCoding() {
        List<Path> examples = Validators.validExamples();
        assertThat(examples).hasSize(31);
        for (Path p : examples) {
            Resource r = (Resource) Validators.CTX.newJsonParser().parseResource(Validators.read(p));
            List<ValidationResult.Issue> errors = Validators.ours().validate(r).errors();
            if (r instanceof AdverseEvent ae && ae.getOutcome().getCoding().size() > 1) {
                // the demo examples keep the NCIt outcome coding the mapping writes today; HAPI's in-memory terminology
                // rejects it for the required binding. Without it they are valid:
                assertThat(errors).as(p.toString()).singleElement()
                        .satisfies(i -> assertThat(i.location()).isEqualTo("AdverseEvent.outcome"))
                        .satisfies(i -> assertThat(i.message()).contains(OUTCOME_EXTRA_CODING));
                DemoStudyResources.applyPendingMappingFixes(List.of(r));
                assertThat(Validators.ours().validate(r).errors()).as(p + " without the NCIt outcome coding").isEmpty();
            } else {
                assertThat(errors).as(p.toString()).isEmpty();
            }
        }
    }

    @Test
    void invalidExamplesGiveTheExpectedErrors() {
        JsonObject expected = JsonParser.parseString(Validators.read(Validators.INVALID.resolve("expected.json")))
                .getAsJsonObject().getAsJsonObject("examples");
        assertThat(expected.keySet()).hasSize(Validators.invalidExamples().size());
        for (Map.Entry<String, JsonElement> e : expected.entrySet()) {
            String text = Validators.read(Validators.INVALID.resolve(e.getKey()));
            ValidationResult result = Validators.ours().validate(text, EncodingEnum.JSON);
            for (JsonElement err : e.getValue().getAsJsonObject().getAsJsonArray("errors")) {
                String path = err.getAsJsonObject().get("path").getAsString();
                String message = err.getAsJsonObject().get("message").getAsString();
                assertThat(result.errors()).as(e.getKey() + " must report " + path + ": " + message + "; got " + result)
                        .anySatisfy(i -> {
                            assertThat(i.location()).isEqualTo(path);
                            assertThat(i.message()).contains(message);
                        });
            }
        }
    }

    @Test
    void demoResourcesMeetTheProfilesWithThePendingMappingFixesApplied() {
        List<Resource> demo = Validators.demo();
        assertThat(demo).hasSize(133);
        DemoStudyResources.applyPendingMappingFixes(demo);
        List<ValidationResult> results = Validators.ours().validateAll(demo);
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < demo.size(); i++) {
            for (ValidationResult.Issue issue : results.get(i).errors()) {
                errors.add(demo.get(i).fhirType() + "/" + demo.get(i).getIdElement().getIdPart() + " " + issue);
            }
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void demoResourcesAsMappedTodayHaveOnlyTheKnownAdverseEventErrors() {
        // the two AdverseEvent mapping problems the lead is fixing in mappings/ae.yaml; once merged this finds none
        for (Resource r : Validators.demo()) {
            for (ValidationResult.Issue i : Validators.ours().validate(r).errors()) {
                assertThat(r.fhirType()).as(i.toString()).isEqualTo("AdverseEvent");
                assertThat(i.location()).as(i.toString()).isIn("AdverseEvent.seriousness", "AdverseEvent.outcome");
                assertThat(i.message()).as(i.toString()).containsAnyOf(OUTCOME_EXTRA_CODING, SERIOUSNESS_NOT_IN_VS, SERIOUSNESS_UNKNOWN);
            }
        }
    }

    @Test
    void resourceWithoutMetaProfileIsValidatedAgainstOurProfileForItsType() {
        Patient p = new Patient();
        p.setId("x");
        ValidationResult result = Validators.ours().validate(p);
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.errors()).anySatisfy(i -> assertThat(i.message()).contains("ct-pat-1"));
        // a forced base profile only: our profile is not applied
        ValidationResult base = Validators.ours().validate(p, "http://hl7.org/fhir/StructureDefinition/Patient");
        assertThat(base.hasErrors()).isFalse();
    }

    @Test
    void unknownProfileAndBrokenInputAreFindingsNotExceptions() {
        ValidationResult unknown = Validators.ours().validate("{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"https://example.org/nope\"]}}", EncodingEnum.JSON);
        assertThat(unknown.errors()).anySatisfy(i -> assertThat(i.message()).contains("https://example.org/nope"));
        assertThat(Validators.ours().validate("{not json", EncodingEnum.JSON).hasErrors()).isTrue();
        assertThat(Validators.ours().validate("{\"foo\": 1}", EncodingEnum.JSON).hasErrors()).isTrue();
        assertThat(Validators.ours().validate("<Patient xmlns=\"http://hl7.org/fhir\"><birthDate value=\"2011\"/>", EncodingEnum.XML).hasErrors()).isTrue();
    }

    @Test
    void resultConvertsToAnOperationOutcome() {
        ValidationResult result = Validators.ours().validate(new Patient().setActive(true).setId("x"));
        OperationOutcome oo = result.toOperationOutcome();
        assertThat(oo.getIssue()).hasSameSizeAs(result.issues());
        assertThat(oo.getIssue()).anySatisfy(i -> {
            assertThat(i.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(i.getExpression()).isNotEmpty();
            assertThat(i.getDiagnostics()).isNotBlank();
        });
        assertThat(new ValidationResult(List.of()).toOperationOutcome().getIssueFirstRep().getSeverity())
                .isEqualTo(OperationOutcome.IssueSeverity.INFORMATION);
    }

    @Test
    void theFirstReusesOfEveryShapeAreCheckedThenOneInSixtyFourThenOneInFiveHundredTwelveOnceTrusted() {
        try (ProfileValidator v = ProfileValidator.create(Validators.CTX, Validators.pkg(), 1)) {
            Resource r = example("Patient-NKAML-P1-NKAML-P1-01-001.json");
            v.validate(r);
            assertThat(v.shapeStats().validated()).isEqualTo(1);
            long untilTrusted = (long) ProfileValidator.TRUSTED_AFTER * ProfileValidator.VERIFY_EVERY;
            long reuses = ProfileValidator.CHECK_FIRST + untilTrusted + 3L * ProfileValidator.VERIFY_EVERY_TRUSTED;
            for (long i = 0; i < reuses; i++) {
                assertThat(v.validate(r).errors()).isEmpty();
            }
            ProfileValidator.ShapeStats s = v.shapeStats();
            assertThat(s.enabled()).isTrue();
            assertThat(s.validated()).isEqualTo(1);
            assertThat(s.reused()).isEqualTo(reuses);
            assertThat(s.checked()).isEqualTo(ProfileValidator.CHECK_FIRST + ProfileValidator.TRUSTED_AFTER + 3);

            // a shape first seen now still has its first reuses checked, however trusted the others are
            Resource other = example("Procedure-NKAML-P1-NKAML-P1-01-001-PR-1.json");
            for (int i = 0; i <= ProfileValidator.CHECK_FIRST + 2; i++) {
                v.validate(other);
            }
            s = v.shapeStats();
            assertThat(s.validated()).isEqualTo(2);
            assertThat(s.checked()).isEqualTo(2L * ProfileValidator.CHECK_FIRST + ProfileValidator.TRUSTED_AFTER + 3);
        }
        assertThat(ProfileValidator.sampledCheck(64, 0)).isTrue();
        assertThat(ProfileValidator.sampledCheck(65, 0)).isFalse();
        assertThat(ProfileValidator.sampledCheck(64 * 9, ProfileValidator.TRUSTED_AFTER)).isFalse();
        assertThat(ProfileValidator.sampledCheck(512 * 9, ProfileValidator.TRUSTED_AFTER)).isTrue();
    }

    private static Resource example(String file) {
        return (Resource) Validators.CTX.newJsonParser().parseResource(Validators.read(Validators.validExamples().stream()
                .filter(p -> p.getFileName().toString().equals(file)).findFirst().orElseThrow()));
    }
}
