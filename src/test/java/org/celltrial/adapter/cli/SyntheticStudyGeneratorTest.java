package org.celltrial.adapter.cli;

import org.celltrial.adapter.mapping.MappedResource;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The synthetic study maps completely with the real mappings, and the same seed gives the same files. */
class SyntheticStudyGeneratorTest {

    @Test
    void everyGeneratedRecordMapsWithoutRejection(@TempDir Path dir) throws Exception {
        SyntheticStudyGenerator.Summary summary = SyntheticStudyGenerator.write(dir, "SYN-T1", 20, 7);
        assertThat(summary.dm()).isEqualTo(20);
        assertThat(summary.records()).isBetween(20 * 28, 20 * 32 + 6);

        StudyMapper.Result result = StudyMapper.map(dir, Path.of("mappings"));

        assertThat(result.rejected()).isEmpty();
        assertThat(result.records()).isEqualTo(summary.records());
        assertThat(result.resources().size()).isEqualTo(summary.resources());
        assertThat(result.resources().studyLevel()).extracting(m -> m.resource().fhirType()).containsExactly("ResearchStudy");
        assertThat(result.resources().bySubject()).hasSize(20);

        Map<String, Long> byType = result.resources().all().stream()
                .collect(Collectors.groupingBy(m -> m.resource().fhirType(), TreeMap::new, Collectors.counting()));
        assertThat(byType).containsEntry("Patient", 20L).containsEntry("ResearchSubject", 20L)
                .containsEntry("Procedure", (long) summary.pr()).containsEntry("MedicationAdministration", (long) summary.ex())
                .containsEntry("AdverseEvent", (long) summary.ae()).containsEntry("Observation", (long) summary.ce());

        ResearchStudy study = (ResearchStudy) result.resources().studyLevel().get(0).resource();
        assertThat(study.getTitle()).startsWith("Synthetic load-test study");
        assertThat(study.getArm()).extracting(ResearchStudy.ResearchStudyArmComponent::getName)
                .containsExactlyInAnyOrder("NKHAPLO", "NKAUTO");

        // every coded value was translated (a code, not only the text), dates present
        for (MappedResource m : result.resources().all()) {
            if (m.resource() instanceof Procedure p) {
                assertThat(p.getCode().getCoding()).as(p.getId()).isNotEmpty();
                assertThat(p.getPerformedPeriod().hasStart()).isTrue();
            } else if (m.resource() instanceof MedicationAdministration ma) {
                assertThat(ma.getMedicationCodeableConcept().getCoding()).as(ma.getId()).isNotEmpty();
                assertThat(ma.getDosage().getDose().getCode()).as(ma.getId()).isNotBlank();
                assertThat(ma.getDosage().getRoute().getCoding()).as(ma.getId()).isNotEmpty();
            } else if (m.resource() instanceof AdverseEvent ae) {
                assertThat(ae.getSeverity().getCoding()).as(ae.getId()).isNotEmpty();
                assertThat(ae.getOutcome().getCoding()).as(ae.getId()).isNotEmpty();
                assertThat(ae.hasDate()).as(ae.getId()).isTrue();
            } else if (m.resource() instanceof Observation o) {
                assertThat(o.getCode().getCoding()).as(o.getId()).isNotEmpty();
                assertThat(o.hasEffectiveDateTimeType()).isTrue();
            }
        }
    }

    @Test
    void sameSeedSameFilesOtherSeedOtherFiles(@TempDir Path dir) throws Exception {
        SyntheticStudyGenerator.write(dir.resolve("a"), "SYN-T2", 5, 11);
        SyntheticStudyGenerator.write(dir.resolve("b"), "SYN-T2", 5, 11);
        SyntheticStudyGenerator.write(dir.resolve("c"), "SYN-T2", 5, 12);
        Function<Path, List<String>> contents = folder -> List.of("ts.csv", "dm.csv", "pr.csv", "ex.csv", "ae.csv", "ce.csv")
                .stream().map(f -> {
                    try {
                        return Files.readString(folder.resolve(f));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        assertThat(contents.apply(dir.resolve("a"))).isEqualTo(contents.apply(dir.resolve("b")));
        assertThat(contents.apply(dir.resolve("a"))).isNotEqualTo(contents.apply(dir.resolve("c")));
    }
}
