package org.celltrial.adapter.bench;

import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetMetadata.VariableType;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReaders;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.LoadedDataset;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's XPT, Dataset-JSON and NDJSON studies hold the same records as the CSV study they are made from, as
 * the adapter's own readers read them: same datasets, columns in the same order, same values (numbers compared as
 * numbers), numbers stored as numbers where SDTM has them, character lengths that hold every value.
 */
class StudyFormatTest {

    /** SDTMIG numeric variables of the synthetic study; everything else is character (dates included). */
    private static final Map<String, Set<String>> NUMERIC = Map.of(
            "TS", Set.of("TSSEQ"), "DM", Set.of("AGE"), "PR", Set.of("PRSEQ", "PRSTDY", "PRENDY"),
            "EX", Set.of("EXSEQ", "EXDOSE", "EXSTDY", "EXENDY"), "AE", Set.of("AESEQ", "AESTDY", "AEENDY"),
            "CE", Set.of("CESEQ", "CESTDY"));

    @ParameterizedTest
    @EnumSource(value = StudyFormat.class, names = {"XPT", "JSON", "NDJSON"})
    void eachFormatReadsBackAsTheCsvRecords(StudyFormat format, @TempDir Path dir) throws Exception {
        Path csv = dir.resolve("csv");
        // 40 subjects: ongoing AEs (empty AEENDY), fractional NK cell doses, day-only AEs and partial birth dates occur
        SyntheticStudyGenerator.write(csv, "FMT-1", 40, 7);
        List<Path> files = format.convert(csv, dir.resolve(format.extension));
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "ae." + format.extension, "ce." + format.extension, "dm." + format.extension,
                "ex." + format.extension, "pr." + format.extension, "ts." + format.extension);

        DatasetReader reader = DatasetReaders.standard().forFile(files.get(0).getFileName().toString()).orElseThrow();
        boolean sawFraction = false, sawMissingNumber = false;
        for (Path file : files) {
            String stem = file.getFileName().toString().replaceFirst("\\.[a-z]+$", "");
            LoadedDataset expected;
            try (InputStream in = Files.newInputStream(csv.resolve(stem + ".csv"))) {
                expected = LoadedDataset.readOne(new CsvDatasetReader(), stem + ".csv", in);
            }
            LoadedDataset actual;
            DatasetMetadata metadata;
            try (InputStream in = Files.newInputStream(file)) {
                actual = LoadedDataset.readOne(reader, file.getFileName().toString(), in);
            }
            try (InputStream in = Files.newInputStream(file); DatasetSource source = reader.open(file.getFileName().toString(), in);
                 DatasetCursor cursor = source.nextDataset()) {
                metadata = cursor.metadata();
            }
            String domain = stem.toUpperCase();
            assertThat(actual.name()).isEqualTo(domain);
            assertThat(actual.problems()).as(file + " problem rows").isEmpty();
            assertThat(actual.columns()).containsExactlyElementsOf(expected.columns());
            assertThat(metadata.variables().stream().filter(v -> numeric(v.type())).map(DatasetMetadata.Variable::name))
                    .as(file + " numeric columns").containsExactlyInAnyOrderElementsOf(NUMERIC.get(domain));
            assertThat(actual.rows()).hasSameSizeAs(expected.rows());
            for (DatasetMetadata.Variable v : metadata.variables()) {
                if (format == StudyFormat.XPT && v.type() == VariableType.STRING) {
                    int longest = expected.rows().stream()
                            .mapToInt(r -> r.values().get(v.name()).getBytes(StandardCharsets.UTF_8).length).max().orElse(0);
                    assertThat(v.length()).as(file + " " + v.name() + " length").isEqualTo(Math.max(1, longest));
                }
            }
            for (int i = 0; i < expected.rows().size(); i++) {
                DatasetRow want = expected.rows().get(i), got = actual.rows().get(i);
                assertThat(got.values().keySet()).isEqualTo(want.values().keySet());
                for (String column : expected.columns()) {
                    String w = want.values().get(column), g = got.values().get(column);
                    String where = file.getFileName() + " row " + want.number() + " " + column;
                    if (NUMERIC.get(domain).contains(column) && !w.isEmpty()) {
                        assertThat(g).as(where).isNotEmpty();
                        assertThat(new BigDecimal(g)).as(where).isEqualByComparingTo(new BigDecimal(w));
                        sawFraction |= w.contains(".");
                    } else {
                        assertThat(g).as(where).isEqualTo(w);
                        sawMissingNumber |= w.isEmpty() && NUMERIC.get(domain).contains(column);
                    }
                }
            }
        }
        // the study exercised what the comparison is about
        assertThat(sawFraction).as("a fractional number was compared").isTrue();
        assertThat(sawMissingNumber).as("a missing number was compared").isTrue();
    }

    private static boolean numeric(VariableType t) {
        return t == VariableType.INTEGER || t == VariableType.FLOAT || t == VariableType.DOUBLE || t == VariableType.DECIMAL;
    }
}
