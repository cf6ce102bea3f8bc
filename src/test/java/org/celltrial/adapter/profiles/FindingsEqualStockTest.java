package org.celltrial.adapter.profiles;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.validation.ValidationOptions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our fast path gives the same findings — the same set of (severity, location, message) — as the stock
 * FhirValidator + FhirInstanceValidator on the same input, on everything we have: all demo resources (as mapped
 * today, so with the AdverseEvent errors), with and without meta.profile, all examples valid and invalid, as
 * resources and as JSON and XML text.
 */
class FindingsEqualStockTest {

    @Test
    void demoResourcesWithoutMetaProfile() {
        // ours applies the default profile; the stock path is given the same profile as a validation option
        List<Resource> demo = Validators.demo();
        assertEqualOnResources(demo);
        // and from several threads at once (validateAll)
        List<ValidationResult> parallel = Validators.ours().validateAll(demo);
        for (int i = 0; i < demo.size(); i++) {
            assertThat(Validators.key(parallel.get(i))).as(label(demo.get(i))).isEqualTo(Validators.key(stock(demo.get(i))));
        }
    }

    @Test
    void demoResourcesWithMetaProfile() {
        List<Resource> demo = Validators.demo();
        for (Resource r : demo) {
            Validators.pkg().defaultProfile(r.fhirType()).ifPresent(p -> r.getMeta().addProfile(p));
        }
        assertEqualOnResources(demo);
    }

    @Test
    void examplesAsJsonText() {
        List<Path> files = new ArrayList<>(Validators.validExamples());
        files.addAll(Validators.invalidExamples());
        for (Path f : files) {
            String text = Validators.read(f);
            ValidationResult stock = ValidationResult.of(Validators.stock().validateWithResult(text, new ValidationOptions()));
            ValidationResult ours = Validators.ours().validate(text, EncodingEnum.JSON);
            assertThat(Validators.key(ours)).as(f.toString()).isEqualTo(Validators.key(stock));
        }
    }

    @Test
    void examplesAsResourcesAndXmlText() {
        List<Path> files = new ArrayList<>(Validators.validExamples());
        files.addAll(Validators.invalidExamples());
        for (Path f : files) {
            IBaseResource r = Validators.CTX.newJsonParser().parseResource(Validators.read(f));
            assertThat(Validators.key(Validators.ours().validate(r))).as(f + " as resource").isEqualTo(Validators.key(stock(r)));
            String xml = Validators.CTX.newXmlParser().encodeResourceToString(r);
            ValidationResult stock = ValidationResult.of(Validators.stock().validateWithResult(xml, new ValidationOptions()));
            assertThat(Validators.key(Validators.ours().validate(xml, EncodingEnum.XML))).as(f + " as XML").isEqualTo(Validators.key(stock));
        }
    }

    @Test
    void forcedProfile() {
        String adverseEvent = "https://fhir.celltrial.org/StructureDefinition/celltrial-adverseevent";
        for (Resource r : Validators.demo().subList(0, 20)) {
            ValidationOptions options = new ValidationOptions().addProfile(adverseEvent);
            ValidationResult stock = ValidationResult.of(Validators.stock().validateWithResult(r, options));
            assertThat(Validators.key(Validators.ours().validate(r, adverseEvent))).as(label(r)).isEqualTo(Validators.key(stock));
        }
    }

    private static void assertEqualOnResources(List<Resource> resources) {
        int issues = 0;
        for (Resource r : resources) {
            ValidationResult ours = Validators.ours().validate(r);
            assertThat(Validators.key(ours)).as(label(r)).isEqualTo(Validators.key(stock(r)));
            issues += ours.issues().size();
        }
        assertThat(issues).as("the comparison must have findings to compare").isPositive();
    }

    private static ValidationResult stock(IBaseResource r) {
        return StockValidation.validate(Validators.stock(), r, Validators.ours().profileForStockPath(r, null));
    }

    private static String label(IBaseResource r) {
        return r.fhirType() + "/" + r.getIdElement().getIdPart();
    }
}
