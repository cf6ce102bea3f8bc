package org.celltrial.adapter.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.celltrial.adapter.mapping.SourceRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the CSV dataset reader with arbitrary bytes. The contract: a file is either read (every record carries a value
 * for every column of the header, rows numbered upwards from 1) or refused with {@link CsvDatasetReader.UnreadableFileException}
 * naming the file; any other exception is a bug. In the build this runs the kept inputs of
 * {@code src/test/resources/org/celltrial/adapter/ingest/CsvDatasetReaderFuzzTestInputs/} (regression mode);
 * {@code src/bench/fuzz.sh} fuzzes it.
 */
class CsvDatasetReaderFuzzTest {

    private final CsvDatasetReader reader = new CsvDatasetReader();

    @FuzzTest(maxDuration = "5m")
    void anyBytesAreReadOrRefusedWithTheFileName(byte[] data) {
        SdtmDataset dataset;
        try {
            dataset = reader.read("AE", new DeliveryFile("ae.csv", data));
        } catch (CsvDatasetReader.UnreadableFileException e) {
            assertThat(e.getMessage()).startsWith("ae.csv: ");
            return;
        }
        assertThat(dataset.columns()).isNotEmpty()
                .allSatisfy(c -> assertThat(c).isNotEmpty().isEqualTo(c.trim().toUpperCase(java.util.Locale.ROOT)));
        int last = 0;
        for (SourceRecord r : dataset.records()) {
            assertThat(r.row()).isGreaterThan(last);
            last = r.row();
            assertThat(r.file()).isEqualTo("ae.csv");
            for (String c : dataset.columns()) {
                String v = r.values().get(c);
                assertThat(v).as("column %s of row %d", c, r.row()).isNotNull();
                assertThat(v).isEqualTo(v.trim());
            }
        }
        for (SdtmDataset.RowProblem p : dataset.problems()) {
            assertThat(p.row()).isPositive();
            assertThat(p.message()).isNotBlank();
        }
        // the input's characters bound the output: nothing is invented
        long chars = dataset.records().stream().flatMap(r -> r.values().values().stream()).mapToLong(String::length).sum();
        assertThat(chars).isLessThanOrEqualTo(data.length);
    }
}
