package org.celltrial.adapter.it;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared settings and facts about the bundled demo data for the integration tests. */
final class TestData {

    static final String STUDY_DAY = "https://fhir.celltrial.org/StructureDefinition/sdtm-study-day";
    static final String CTCAE_GRADE = "https://fhir.celltrial.org/StructureDefinition/ctcae-grade";

    private TestData() {
    }

    static Path newDataDir(String name) {
        try {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target").toAbsolutePath(), "it-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh data folder and H2 file database; fast polling so tests do not wait. */
    static void h2Properties(DynamicPropertyRegistry r, Path data) {
        r.add("celltrial.data-dir", data::toString);
        r.add("celltrial.ingest.seed-demo-studies", () -> "false");
        r.add("celltrial.ingest.poll-interval-ms", () -> "200");
        r.add("celltrial.ingest.quiet-period-ms", () -> "300");
    }

    /** Number of data rows of a demo dataset (records, not physical lines: fields may hold line breaks). */
    static int rows(String relative) {
        try {
            String text = Files.readString(AdapterHarness.DEMO.resolve(relative), StandardCharsets.UTF_8);
            try (var parser = org.apache.commons.csv.CSVParser.parse(new StringReader(text),
                    org.apache.commons.csv.CSVFormat.RFC4180)) {
                return parser.getRecords().size() - 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
