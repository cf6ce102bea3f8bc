package org.celltrial.adapter.profiles;

import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpenCodeSystemsTest {

    @Test
    void theStudyTagsSystemIsTheOneTheMappingWrites() {
        assertThat(OpenCodeSystems.STUDY).isEqualTo(StudyTag.SYSTEM);
    }

    @Test
    void aStudyTagOfAnyStudyGetsNoFindingFromOursOrTheStockValidator() {
        Patient tagged = ShapeHolesTest.patient(p -> p.getMeta().addTag(StudyTag.SYSTEM, "CDISCPILOT01", null));
        Set<String> ours = Validators.key(Validators.ours().validate(tagged));
        Set<String> stock = Validators.key(StockValidation.validate(Validators.stock(), tagged,
                Validators.ours().profileForStockPath(tagged, null)));
        assertThat(ours).isEqualTo(stock);
        assertThat(ours).as("nothing about the study tag").noneMatch(f -> f.contains(StudyTag.SYSTEM) || f.contains("CDISCPILOT01"));
    }

    @Test
    void anotherSystemOfOursThatNothingDefinesIsStillReportedAsUnknown() {
        String other = CellTrialPackage.CANONICAL_BASE + "/CodeSystem/not-defined-anywhere";
        Patient tagged = ShapeHolesTest.patient(p -> p.getMeta().addTag(other, "X-1", null));
        assertThat(Validators.key(Validators.ours().validate(tagged)))
                .anyMatch(f -> f.startsWith("warning") && f.contains("CodeSystem is unknown") && f.contains(other));
    }

    @Test
    void aStudyCodeBreakingTheWhitespaceRuleIsStillReported() {
        Patient spaced = ShapeHolesTest.patient(p -> p.getMeta().addTag(StudyTag.SYSTEM, "STUDY  A", null));
        Set<String> ours = Validators.key(Validators.ours().validate(spaced));
        assertThat(ours).anyMatch(f -> f.startsWith("error") && f.contains("STUDY  A"));
        assertThat(ours).isEqualTo(Validators.key(StockValidation.validate(Validators.stock(), spaced,
                Validators.ours().profileForStockPath(spaced, null))));
    }
}
