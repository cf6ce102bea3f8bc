package org.celltrial.adapter.profiles;

import ca.uhn.fhir.validation.FhirValidator;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Profiles that read values beyond what the validation shape keeps refuse reuse for their own resources
 * ({@link ReuseRules}, issue 13 item 7.3), on packages that are ours with one change. The cases with an unknown
 * invariant and with a fixed value failed on the code before: the second resource got the first one's findings.
 */
class ReuseRulesTest {

    static final String BASE = CellTrialPackage.CANONICAL_BASE + "/StructureDefinition/";
    static final String PATIENT = BASE + "celltrial-patient";
    static final String ADMINISTRATION = BASE + "cellproduct-administration";
    static final String LOT = BASE + "product-lot";

    /** An invariant that reads a free value (the subject id) and is not on the allow-list: the profile is not reused. */
    @Test
    void aProfileWithAnUnknownInvariantIsNotReused() {
        CellTrialPackage pkg = ours(Map.of("StructureDefinition-celltrial-patient.json", sd -> addInvariant(sd, "Patient", "ct-test-1",
                "identifier.where(system='https://fhir.celltrial.org/sid/usubjid').value.startsWith('HOLES-')")));
        FhirValidator stock = stock(pkg);
        ShapeHolesTest.assertSecondGetsItsOwnFindings(pkg, stock,
                ShapeHolesTest.patient(p -> { }),
                ShapeHolesTest.patient(p -> p.getIdentifierFirstRep().setValue("OTHER-1-01-001")));

        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ProfileValidator.class);
        logger.addAppender(logged);
        try (ProfileValidator v = ProfileValidator.create(Validators.CTX, pkg, 1, true)) {
            assertThat(v.reuseRefusal(PATIENT)).isEqualTo("invariant ct-test-1");
            // the other profiles are still reused
            assertThat(v.reuseRefusal(ADMINISTRATION)).isNull();
            MedicationAdministration ma = administration(m -> { });
            v.validate(ma);
            v.validate(ma.copy());
            assertThat(v.shapeStats().reused()).isEqualTo(1);
            assertThat(v.shapeStats().enabled()).isTrue();
        } finally {
            logger.detachAppender(logged);
        }
        List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("ct-test-1")).toList();
        assertThat(lines).singleElement().satisfies(line -> assertThat(line).contains(PATIENT + ":").contains("invariant ct-test-1"));
    }

    /** The same for an invariant on one of our extensions: its profiles, and resources carrying it, are not reused. */
    @Test
    void anExtensionWithAnUnknownInvariantIsNotReused() {
        CellTrialPackage pkg = ours(Map.of("StructureDefinition-product-lot.json", sd -> addInvariant(sd, "Extension", "ct-lot-1",
                "(value as string).startsWith('LOT-')")));
        ShapeHolesTest.assertSecondGetsItsOwnFindings(pkg, stock(pkg),
                administration(m -> lot(m, "LOT-0042")),
                administration(m -> lot(m, "BATCH-0042")));
        try (ProfileValidator v = ProfileValidator.create(Validators.CTX, pkg, 1, true)) {
            assertThat(v.reuseRefusal(LOT)).isEqualTo("invariant ct-lot-1");
            assertThat(v.reuseRefusal(ADMINISTRATION)).isEqualTo("invariant ct-lot-1 of " + LOT);
            assertThat(v.reuseRefusal(PATIENT)).isNull();
        }
    }

    /** A fixed value on a value the shape may replace by its class (here Identifier.value): the profile is not reused. */
    @Test
    void aProfileWithAFixedFreeValueIsNotReused() {
        CellTrialPackage pkg = ours(Map.of("StructureDefinition-celltrial-patient.json",
                sd -> element(sd, "Patient.identifier:usubjid.value").addProperty("fixedString", "HOLES-1-01-001")));
        ShapeHolesTest.assertSecondGetsItsOwnFindings(pkg, stock(pkg),
                ShapeHolesTest.patient(p -> { }),
                ShapeHolesTest.patient(p -> p.getIdentifierFirstRep().setValue("OTHER-1-01-001")));
        try (ProfileValidator v = ProfileValidator.create(Validators.CTX, pkg, 1, true)) {
            assertThat(v.reuseRefusal(PATIENT)).isEqualTo("a fixed value or pattern on Patient.identifier:usubjid.value");
        }
    }

    /** The invariants the package is getting (existence and codes only) are on the allow-list: reuse stays on. */
    @Test
    void theAllowListedInvariantsKeepReuse() {
        CellTrialPackage pkg = ours(Map.of(
                "StructureDefinition-celltrial-patient.json", sd -> addInvariant(sd, "Patient", "ct-pat-1",
                        "birthDate.exists() or extension.where(url='https://fhir.celltrial.org/StructureDefinition/subject-age').exists()"),
                "StructureDefinition-cellproduct-administration.json", sd -> addInvariant(sd, "MedicationAdministration", "ct-ma-1",
                        "status = 'not-done' or dosage.dose.exists() or dosage.text.exists()")));
        FhirValidator stock = stock(pkg);
        Patient withBirthDate = ShapeHolesTest.patient(p -> { });
        Patient without = ShapeHolesTest.patient(p -> p.setBirthDate(null));
        try (ProfileValidator v = ProfileValidator.create(Validators.CTX, pkg, 1, true)) {
            assertThat(v.reuseRefusal(PATIENT)).isNull();
            assertThat(v.reuseRefusal(ADMINISTRATION)).isNull();
            for (Resource r : List.of(withBirthDate, without, withBirthDate.copy(), without.copy(), administration(m -> { }),
                    administration(m -> m.getDosage().setDose(null)), administration(m -> m.getDosage().setDose(null)))) {
                ValidationResult expected = StockValidation.validate(stock, r, null);
                assertThat(Validators.key(v.validate(r))).isEqualTo(Validators.key(expected));
            }
            assertThat(Validators.key(StockValidation.validate(stock, without, null)).toString()).contains("ct-pat-1");
            assertThat(v.shapeStats().reused()).isEqualTo(3);
            assertThat(v.shapeStats().enabled()).isTrue();
        }
    }

    @Test
    void anAllowListedKeyWithAnotherExpressionIsUnknown() {
        assertThat(ReuseRules.isKnown("sdtm-dy-1", "value.exists()   implies value != 0")).isTrue();
        assertThat(ReuseRules.isKnown("sdtm-dy-1", "value.exists() implies value > 10")).isFalse();
        assertThat(ReuseRules.isKnown("ct-unknown-1", "value.exists()")).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------

    private static final Gson GSON = new GsonBuilder().create();

    /** Our package (fsh-generated/resources), with the named files changed. */
    static CellTrialPackage ours(Map<String, Consumer<JsonObject>> changes) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(Validators.GENERATED)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).toList()) {
                files.put(p.getFileName().toString(), Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        changes.forEach((name, change) -> {
            JsonObject json = GSON.fromJson(files.get(name), JsonObject.class);
            change.accept(json);
            files.put(name, GSON.toJson(json));
        });
        return CellTrialPackage.fromJson(Validators.CTX, files);
    }

    static FhirValidator stock(CellTrialPackage pkg) {
        return StockValidation.newValidator(Validators.CTX, ValidationSupports.chain(Validators.CTX, pkg));
    }

    private static void addInvariant(JsonObject sd, String elementId, String key, String expression) {
        JsonObject c = new JsonObject();
        c.addProperty("key", key);
        c.addProperty("severity", "error");
        c.addProperty("human", "test invariant " + key);
        c.addProperty("expression", expression);
        c.addProperty("source", sd.get("url").getAsString());
        JsonObject e = element(sd, elementId);
        JsonArray constraints = new JsonArray();
        if (e.has("constraint")) {
            // the package may have it already (the wave-2 package has ct-pat-1 and ct-ma-1): replaced
            e.getAsJsonArray("constraint").forEach(x -> {
                if (!x.getAsJsonObject().get("key").getAsString().equals(key)) {
                    constraints.add(x);
                }
            });
        }
        constraints.add(c);
        e.add("constraint", constraints);
    }

    private static JsonObject element(JsonObject sd, String id) {
        for (JsonElement e : sd.getAsJsonObject("snapshot").getAsJsonArray("element")) {
            if (e.getAsJsonObject().get("id").getAsString().equals(id)) {
                return e.getAsJsonObject();
            }
        }
        throw new IllegalArgumentException("no element " + id);
    }

    private static MedicationAdministration administration(Consumer<MedicationAdministration> change) {
        Path example = Validators.validExamples().stream()
                .filter(p -> p.getFileName().toString().equals("MedicationAdministration-NKAML-P1-NKAML-P1-01-001-EX-1.json"))
                .findFirst().orElseThrow();
        MedicationAdministration m = (MedicationAdministration) Validators.CTX.newJsonParser().parseResource(Validators.read(example));
        change.accept(m);
        return m;
    }

    private static void lot(MedicationAdministration m, String lot) {
        m.addExtension().setUrl(LOT).setValue(new StringType(lot));
    }
}
