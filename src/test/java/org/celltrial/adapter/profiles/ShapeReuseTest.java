package org.celltrial.adapter.profiles;

import org.celltrial.adapter.cli.StudyMapper;
import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reusing the findings of a validation shape ({@link ValidationShape}) never changes what a resource is told:
 * on varied synthetic subjects and on copies broken in the values the shape leaves out, ours (with reuse) gives
 * exactly the stock path's findings.
 */
class ShapeReuseTest {

    static List<Resource> resources;

    @BeforeAll
    static void mapSyntheticStudy(@TempDir Path dir) throws Exception {
        SyntheticStudyGenerator.write(dir, "SHAPES-1", 12, 11);
        StudyMapper.Result mapped = StudyMapper.map(dir, Path.of("mappings"));
        assertThat(mapped.rejected()).isEmpty();
        resources = new ArrayList<>();
        mapped.resources().all().forEach(m -> resources.add(m.resource()));
    }

    @Test
    void variedSubjectsGetTheStockFindingsWhileShapesAreReused() {
        ProfileValidator ours = ProfileValidator.create(Validators.CTX, Validators.pkg(), 1, true);
        for (Resource r : resources) {
            assertThat(Validators.key(ours.validate(r))).as(label(r)).isEqualTo(Validators.key(stock(r)));
        }
        ProfileValidator.ShapeStats stats = ours.shapeStats();
        assertThat(stats.enabled()).isTrue();
        assertThat(stats.reused()).as("most resources of a study share a shape with an earlier one")
                .isGreaterThan(resources.size() / 2);
    }

    @Test
    void aValueThatBreaksACheckIsValidatedItself() {
        Patient patient = first(Patient.class);
        MedicationAdministration ma = first(MedicationAdministration.class);
        AdverseEvent ae = first(AdverseEvent.class);
        List<Resource> broken = new ArrayList<>();
        broken.add(mutate(patient, p -> p.getIdentifierFirstRep().setValue("ABC-1 "))); // trailing whitespace
        broken.add(mutate(patient, p -> p.getIdentifierFirstRep().setValue("<b>x</b>"))); // markup
        broken.add(mutate(ae, a -> a.getDateElement().setValueAsString("1700-01-18"))); // unreasonable year
        broken.add(mutate(ae, a -> a.getDateElement().setValueAsString("2022-01-18T10:00:00"))); // time without zone
        broken.add(mutate(ae, a -> a.getSubject().setReference("Patient/bad id!")));
        broken.add(mutate(ae, a -> a.getSubject().setReference("#contained")));
        broken.add(mutate(ma, m -> studyDay(m).setValue(new IntegerType(0)))); // sdtm-dy-1: no day 0
        broken.add(mutate(ma, m -> m.setEffective(new Period().setStartElement(new DateTimeType("2022-02-01"))
                .setEndElement(new DateTimeType("2022-01-01"))))); // per-1: start after end
        broken.add(mutate(ma, m -> m.getDosage().getDose().setValue(-5))); // a negative dose (no finding; sign kept in the shape)
        ProfileValidator ours = ProfileValidator.create(Validators.CTX, Validators.pkg(), 1, true);
        for (Resource clean : List.of(patient, ma, ae)) {
            ours.validate(clean); // the clean originals' shapes are known now
        }
        for (Resource r : broken) {
            ValidationResult stock = stock(r);
            assertThat(Validators.key(ours.validate(r))).as(label(r)).isEqualTo(Validators.key(stock));
        }
        // each broken copy (but the negative dose) has a finding its clean original does not have
        for (int i = 0; i < broken.size() - 1; i++) {
            Resource original = i < 2 ? patient : i < 6 ? ae : ma;
            assertThat(Validators.key(stock(broken.get(i)))).as("broken #" + i).isNotEqualTo(Validators.key(stock(original)));
        }
    }

    @Test
    void shapesKeepCodesAndOrderButNotCleanValues() {
        AdverseEvent ae = first(AdverseEvent.class);
        AdverseEvent other = ae.copy();
        other.setId("another-id");
        other.getDateElement().setValueAsString("2023-05-06");
        other.getSubject().setReference("Patient/SOMEONE-ELSE");
        String key = ValidationShape.of(ae, List.of()).key();
        assertThat(ValidationShape.of(other, List.of()).key()).isEqualTo(key);

        AdverseEvent otherCode = ae.copy();
        otherCode.getSeriousness().getCodingFirstRep().setCode("Serious");
        assertThat(ValidationShape.of(otherCode, List.of()).key()).isNotEqualTo(key);
        AdverseEvent otherProfile = ae.copy();
        assertThat(ValidationShape.of(otherProfile, List.of("https://example.org/p")).key()).isNotEqualTo(key);

        assertThat(ValidationShape.cleanDate("2022-02-28")).isTrue();
        assertThat(ValidationShape.cleanDate("2022-02-30")).isFalse();
        assertThat(ValidationShape.cleanDate("1700-01-01")).isFalse();
        assertThat(ValidationShape.cleanDateTime("2022-01-18T10:00:00Z")).isTrue();
        assertThat(ValidationShape.cleanDateTime("2022-01-18T10:00:00")).isFalse();
        assertThat(ValidationShape.cleanString("Nausea")).isTrue();
        assertThat(ValidationShape.cleanString(" Nausea")).isFalse();
        assertThat(ValidationShape.cleanString("a\u202Eb")).isFalse();
    }

    private static Extension studyDay(MedicationAdministration m) {
        return m.getExtension().stream().filter(e -> e.getUrl().endsWith("/sdtm-study-day")).findFirst()
                .orElseGet(() -> m.addExtension().setUrl("https://fhir.celltrial.org/StructureDefinition/sdtm-study-day"));
    }

    @SuppressWarnings("unchecked")
    private static <T extends Resource> T mutate(T original, Consumer<T> change) {
        T copy = (T) original.copy();
        change.accept(copy);
        return copy;
    }

    private static <T extends Resource> T first(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    private static ValidationResult stock(Resource r) {
        return StockValidation.validate(Validators.stock(), r, Validators.ours().profileForStockPath(r, null));
    }

    private static String label(Resource r) {
        return r.fhirType() + "/" + r.getIdElement().getIdPart();
    }
}
