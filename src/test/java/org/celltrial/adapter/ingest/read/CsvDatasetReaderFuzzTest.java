package org.celltrial.adapter.ingest.read;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the CSV dataset reader with arbitrary bytes. The contract: a file is either read (every good row carries a
 * value for every column of the header, rows numbered upwards from 1) or refused with an
 * {@link UnreadableDatasetException} naming the file; any other exception is a bug. In the build this runs the kept
 * inputs of {@code src/test/resources/org/celltrial/adapter/ingest/read/CsvDatasetReaderFuzzTestInputs/} (regression
 * mode); {@code src/bench/fuzz.sh} fuzzes it.
 */
class CsvDatasetReaderFuzzTest {

    private final CsvDatasetReader reader = new CsvDatasetReader();

    @FuzzTest(maxDuration = "5m")
    void anyBytesAreReadOrRefusedWithTheFileName(byte[] data) throws IOException {
        long chars = 0;
        try (DatasetSource source = reader.open("ae.csv", new ByteArrayInputStream(data))) {
            DatasetCursor cursor = source.nextDataset();
            assertThat(cursor).isNotNull();
            var columns = cursor.metadata().variables();
            assertThat(columns).isNotEmpty()
                    .allSatisfy(v -> assertThat(v.name()).isNotEmpty().isEqualTo(v.name().trim().toUpperCase(Locale.ROOT)));
            int last = 0;
            for (DatasetRow row = cursor.next(); row != null; row = cursor.next()) {
                assertThat(row.number()).isGreaterThan(last);
                last = row.number();
                if (row.problem() != null) {
                    assertThat(row.problem()).isNotBlank();
                    continue;
                }
                for (var c : columns) {
                    String v = row.values().get(c.name());
                    assertThat(v).as("column %s of row %d", c.name(), row.number()).isNotNull();
                    assertThat(v).isEqualTo(v.trim());
                    chars += v.length();
                }
            }
            assertThat(source.nextDataset()).as("one dataset per CSV file").isNull();
        } catch (UnreadableDatasetException e) {
            assertThat(e.getMessage()).startsWith("ae.csv: ");
            return;
        }
        // the input's characters bound the output: nothing is invented
        assertThat(chars).isLessThanOrEqualTo(data.length);
    }
}
