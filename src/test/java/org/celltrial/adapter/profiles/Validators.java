package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import org.celltrial.adapter.cli.DemoStudyResources;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Validators shared by the test classes of this package (building one takes seconds), and test data. */
final class Validators {

    static final FhirContext CTX = FhirContext.forR4Cached();
    static final Path GENERATED = Path.of("fhir-profiles/fsh-generated/resources");
    static final Path INVALID = Path.of("fhir-profiles/examples-invalid");
    static final Set<String> CONFORMANCE = Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "ImplementationGuide");

    private static CellTrialPackage pkg;
    private static ProfileValidator ours;
    private static FhirValidator stock;

    private Validators() {
    }

    static synchronized CellTrialPackage pkg() {
        if (pkg == null) {
            pkg = CellTrialPackage.load(CTX);
        }
        return pkg;
    }

    static synchronized ProfileValidator ours() {
        if (ours == null) {
            ours = ProfileValidator.create(CTX, pkg(), 2);
        }
        return ours;
    }

    /** The stock path: FhirValidator + FhirInstanceValidator on its own chain of the same setup. */
    static synchronized FhirValidator stock() {
        if (stock == null) {
            stock = StockValidation.newValidator(CTX, ValidationSupports.chain(CTX, pkg()));
        }
        return stock;
    }

    /** The IG's instance examples (fsh-generated/resources without the conformance resources). */
    static List<Path> validExamples() {
        return list(GENERATED).stream().filter(p -> !CONFORMANCE.contains(p.getFileName().toString().split("-")[0])).toList();
    }

    static List<Path> invalidExamples() {
        return list(INVALID).stream().filter(p -> !p.getFileName().toString().equals("expected.json")).toList();
    }

    /** Both demo studies, mapped as the adapter maps them (no meta.profile). */
    static List<Resource> demo() {
        try {
            return DemoStudyResources.map(CTX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The findings as the set the brief compares: (severity, location, message). */
    static Set<String> key(ValidationResult r) {
        Set<String> s = new TreeSet<>();
        r.issues().forEach(i -> s.add(i.severity().code() + " | " + i.location() + " | " + i.message()));
        return s;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
