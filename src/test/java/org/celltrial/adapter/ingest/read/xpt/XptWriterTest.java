package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.celltrial.adapter.ingest.read.ReferenceStudy.ReadDataset;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test-side {@link XptWriter} checked against files written by SAS: every reference dataset, rewritten from the
 * values read, has byte for byte the namestrs and rows SAS wrote (only the header dates differ), and reads back to
 * the same values. The one allowed difference: SAS holds some results with arithmetic noise (LB has e.g.
 * 8.549999999999999 where 8.55 was meant, from unit conversion); the reader gives them as 15-digit text (8.55, as the
 * Dataset-JSON of the same data says) and rewriting that text stores the clean double. Such a field differs in its
 * last bits only and must read as the same text.
 */
class XptWriterTest {

    @Test
    void rewritingTheSasFilesReproducesTheirNamestrsAndRowsByteForByte() throws Exception {
        List<String> differences = new ArrayList<>();
        for (Path xpt : ReferenceStudy.files("xpt", ".xpt")) {
            ReadDataset read = ReferenceStudy.readAll(new XptDatasetReader(), xpt).get(0);
            byte[] ours = rewrite(read);
            byte[] sas = Files.readAllBytes(xpt);
            int sasNamestrs = indexOf(sas, XptHeaders.NAMESTR);
            int ourNamestrs = indexOf(ours, XptHeaders.NAMESTR);
            int sasRows = indexOf(sas, XptHeaders.OBSERVATIONS) + 80;
            int ourRows = indexOf(ours, XptHeaders.OBSERVATIONS) + 80;
            if (!Arrays.equals(sas, sasNamestrs, sasRows, ours, ourNamestrs, ourRows)) {
                differences.add(xpt.getFileName() + ": namestrs differ");
            }
            if (sas.length - sasRows != ours.length - ourRows) {
                differences.add(xpt.getFileName() + ": row areas differ in length");
                continue;
            }
            noisyValues += compareRows(xpt.getFileName().toString(), read.metadata(), sas, sasRows, ours, ourRows,
                    differences);
            ReadDataset back = ReferenceStudy.readAll(new XptDatasetReader(), write(ours)).get(0);
            assertThat(back.metadata()).isEqualTo(read.metadata());
            assertThat(back.rows()).isEqualTo(read.rows());
        }
        assertThat(differences).isEmpty();
        System.out.println("numeric values SAS stored with more than 15 significant digits: " + noisyValues);
    }

    private int noisyValues;

    /** Field by field: identical bytes, or a numeric whose two encodings give the same text. */
    private static int compareRows(String file, DatasetMetadata metadata, byte[] sas, int sasRows, byte[] ours,
                                   int ourRows, List<String> differences) {
        int rowLength = metadata.variables().stream().mapToInt(DatasetMetadata.Variable::length).sum();
        int noisy = 0;
        int rows = (sas.length - sasRows) / rowLength;
        for (int r = 0; r < rows; r++) {
            int at = r * rowLength;
            for (DatasetMetadata.Variable v : metadata.variables()) {
                int a = sasRows + at;
                int b = ourRows + at;
                if (!Arrays.equals(sas, a, a + v.length(), ours, b, b + v.length())) {
                    boolean numeric = v.type() == DatasetMetadata.VariableType.DOUBLE;
                    if (numeric && IbmFloat.text(sas, a, v.length()).equals(IbmFloat.text(ours, b, v.length()))) {
                        noisy++;
                    } else {
                        differences.add(file + ": row " + (r + 1) + " " + v.name() + " differs");
                    }
                }
                at += v.length();
            }
        }
        return noisy;
    }

    private static byte[] rewrite(ReadDataset dataset) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<DatasetMetadata.Variable> variables = dataset.metadata().variables();
        try (XptWriter writer = new XptWriter(bytes)) {
            writer.startMember(dataset.metadata().name(), dataset.metadata().label(), variables.stream()
                    .map(v -> new XptWriter.Column(v.name(), v.label(), v.type() == DatasetMetadata.VariableType.DOUBLE,
                            v.length(), "", 0, 0))
                    .toList());
            for (DatasetRow row : dataset.rows()) {
                Object[] values = new Object[variables.size()];
                for (int i = 0; i < values.length; i++) {
                    String value = row.values().get(variables.get(i).name());
                    boolean numeric = variables.get(i).type() == DatasetMetadata.VariableType.DOUBLE;
                    values[i] = numeric ? (value.isEmpty() ? null : Double.valueOf(value)) : value;
                }
                writer.row(values);
            }
        }
        return bytes.toByteArray();
    }

    private static Path write(byte[] bytes) throws Exception {
        Path file = Files.createTempFile("rewritten", ".xpt");
        file.toFile().deleteOnExit();
        return Files.write(file, bytes);
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i += 80) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("no " + needle);
    }

    @Test
    void writerOutputReadsBackWithSeveralMembersMissingValuesAndLatin1() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XptWriter writer = new XptWriter(bytes, java.nio.charset.Charset.forName("windows-1252"), 140)) {
            writer.startMember("AA", "First", List.of(XptWriter.Column.character("A", "Text", 3),
                    XptWriter.Column.numeric("N", "Number")));
            writer.row("é", 1.5);
            writer.row("", null);
            writer.row("abc", 'Z');
            writer.startMember("bb", "Second", List.of(XptWriter.Column.numeric("X", "")));
            writer.row(-2.0);
        }
        List<ReadDataset> read = ReferenceStudy.readAll(new XptDatasetReader(), write(bytes.toByteArray()));
        assertThat(read).extracting(d -> d.metadata().name()).containsExactly("AA", "BB");
        assertThat(read.get(0).rows()).extracting(DatasetRow::values).containsExactly(
                java.util.Map.of("A", "é", "N", "1.5"), java.util.Map.of("A", "", "N", ""),
                java.util.Map.of("A", "abc", "N", ""));
        assertThat(read.get(1).rows()).extracting(r -> r.values().get("X")).containsExactly("-2");
    }
}
