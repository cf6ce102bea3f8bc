package org.celltrial.adapter.ingest.read.json;

import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Dataset-JSON values by type, and broken or hostile files. */
class DatasetJsonReaderTest {

    private static final String SECRET = "SECRETVAL";

    private static final String COLUMNS = "\"columns\":["
            + "{\"itemOID\":\"IT.LB.USUBJID\",\"name\":\"USUBJID\",\"label\":\"Subject\",\"dataType\":\"string\",\"length\":9},"
            + "{\"itemOID\":\"IT.LB.LBSEQ\",\"name\":\"LBSEQ\",\"label\":\"Seq\",\"dataType\":\"integer\"},"
            + "{\"itemOID\":\"IT.LB.LBSTRESN\",\"name\":\"LBSTRESN\",\"label\":\"Result\",\"dataType\":\"double\"},"
            + "{\"itemOID\":\"IT.LB.LBDEC\",\"name\":\"LBDEC\",\"label\":\"Exact\",\"dataType\":\"decimal\","
            + "\"targetDataType\":\"decimal\"},"
            + "{\"itemOID\":\"IT.LB.LBDT\",\"name\":\"LBDT\",\"label\":\"Date\",\"dataType\":\"date\","
            + "\"targetDataType\":\"integer\",\"displayFormat\":\"E8601DA.\"}]";

    private static String json(int records, String... rows) {
        return "{\"datasetJSONCreationDateTime\":\"2024-01-01T00:00:00\",\"datasetJSONVersion\":\"1.1.0\","
                + "\"itemGroupOID\":\"IG.LB\",\"records\":" + records + ",\"name\":\"LB\",\"label\":\"Laboratory\","
                + COLUMNS + ",\"rows\":[" + String.join(",", rows) + "]}";
    }

    private static String ndjson(int records, String... rows) {
        return "{\"datasetJSONVersion\":\"1.1.0\",\"itemGroupOID\":\"IG.LB\",\"records\":" + records
                + ",\"name\":\"LB\",\"label\":\"Laboratory\"," + COLUMNS + "}\n" + String.join("\n", rows) + "\n";
    }

    private static final String GOOD_ROW = "[\"" + SECRET + "\",1,8.549999999999999,\"1,234.50\",\"2024-02-29\"]";

    private static List<DatasetRow> read(String name, InputStream in) throws Exception {
        List<DatasetRow> rows = new ArrayList<>();
        try (DatasetSource source = new DatasetJsonReader().open(name, in)) {
            DatasetCursor cursor = source.nextDataset();
            DatasetRow row;
            while ((row = cursor.next()) != null) {
                rows.add(row);
            }
            assertThat(source.nextDataset()).isNull();
        }
        return rows;
    }

    private static List<DatasetRow> read(String name, String content) throws Exception {
        return read(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static String failure(String name, InputStream in) {
        try {
            read(name, in);
        } catch (UnreadableDatasetException expected) {
            assertThat(expected.getMessage()).startsWith(name + ": ").doesNotContain(SECRET);
            assertThat(expected.getCause()).isNull();
            return expected.getMessage();
        } catch (Exception other) {
            throw new AssertionError("not an UnreadableDatasetException", other);
        }
        throw new AssertionError("read without failure");
    }

    private static String failure(String name, String content) {
        return failure(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void valuesFollowTheColumnDataTypes() throws Exception {
        List<DatasetRow> rows = read("lb.json", json(3, GOOD_ROW,
                "[\"B\",2.0,1.5e3,\"0.10\",null]",
                "[\"\",-0,-0.0,null,\"\"]"));
        assertThat(rows).extracting(DatasetRow::values).containsExactly(
                Map.of("USUBJID", SECRET, "LBSEQ", "1", "LBSTRESN", "8.55", "LBDEC", "1234.5", "LBDT", "2024-02-29"),
                Map.of("USUBJID", "B", "LBSEQ", "2", "LBSTRESN", "1500", "LBDEC", "0.1", "LBDT", ""),
                Map.of("USUBJID", "", "LBSEQ", "0", "LBSTRESN", "0", "LBDEC", "", "LBDT", ""));
        assertThat(rows).extracting(DatasetRow::number).containsExactly(1, 2, 3);
    }

    @Test
    void aFileWithoutRowsIsMetadataOnly() throws Exception {
        assertThat(read("lb.json", json(0).replace(",\"rows\":[]", ""))).isEmpty();
        assertThat(read("lb.ndjson", ndjson(0))).isEmpty();
    }

    @Test
    void metadataKeepsItemOidsLabelsAndFormats() throws Exception {
        try (DatasetSource source = new DatasetJsonReader().open("lb.json",
                new ByteArrayInputStream(json(0).getBytes(StandardCharsets.UTF_8)))) {
            DatasetMetadata metadata = source.nextDataset().metadata();
            assertThat(metadata.name()).isEqualTo("LB");
            assertThat(metadata.label()).isEqualTo("Laboratory");
            assertThat(metadata.variables().get(4)).isEqualTo(new DatasetMetadata.Variable("LBDT", "Date",
                    DatasetMetadata.VariableType.DATE, 0, "E8601DA.", "IT.LB.LBDT"));
            assertThat(metadata.variables().get(0).length()).isEqualTo(9);
        }
    }

    @Test
    void ndjsonGivesTheSameRowsAsJson() throws Exception {
        String[] rows = {GOOD_ROW, "[\"B\",2,0.1,\"3\",\"2024-03-01\"]"};
        assertThat(read("lb.ndjson", ndjson(2, rows))).isEqualTo(read("lb.json", json(2, rows)));
        assertThat(read("lb.ndjson", ndjson(2, rows).replace("\n", "\r\n"))).hasSize(2);
    }

    @Test
    void aBadRowIsAProblemAndTheNextRowsStillRead() throws Exception {
        List<DatasetRow> rows = read("lb.json", json(6,
                "[\"" + SECRET + "\",1,2.5,\"1\"]",
                "[\"" + SECRET + "\",1,2.5,\"1\",\"2024-01-01\",\"extra\"]",
                "[\"" + SECRET + "\",\"one\",2.5,\"1\",\"2024-01-01\"]",
                "[\"" + SECRET + "\",1.5,2.5,\"1\",\"2024-01-01\"]",
                "[\"" + SECRET + "\",1,2.5,\"1\",[\"nested\"]]",
                GOOD_ROW));
        assertThat(rows).extracting(DatasetRow::problem).containsExactly(
                "row has 4 values but the file declares 5 columns",
                "row has 6 values but the file declares 5 columns",
                "column LBSEQ (integer) holds a string where an integer is expected",
                "column LBSEQ (integer) holds a number with a fraction",
                "value 5 is an array; row values are strings, numbers, booleans or null",
                null);
        assertThat(rows.get(2).raw()).isEqualTo("[\"" + SECRET + "\",\"one\",2.5,\"1\",\"2024-01-01\"]");
        assertThat(rows).allSatisfy(r -> {
            if (r.problem() != null) {
                assertThat(r.problem()).doesNotContain(SECRET);
            }
        });
        assertThat(read("lb.json", json(1, "[\"A\",1,\"2.5\",\"1\",\"x\"]")).get(0).problem())
                .isEqualTo("column LBSTRESN (double) holds a string where a number is expected");
        assertThat(read("lb.json", json(1, "[\"A\",1,2,\"1.2.3\",\"x\"]")).get(0).problem())
                .isEqualTo("column LBDEC (decimal) holds a string that is not a decimal number");
        assertThat(read("lb.json", json(1, "[\"A\",1e999999999,2,\"1\",\"x\"]")).get(0).problem())
                .contains("more than 400 digits");
        assertThat(read("lb.json", json(1, "[\"A\",1,1e999,\"1\",\"x\"]")).get(0).problem())
                .contains("outside the range of a double");
        assertThat(read("lb.ndjson", ndjson(2, "{\"not\":\"a row\"}", GOOD_ROW)))
                .extracting(DatasetRow::problem).containsExactly("row 1 is an object, not an array of values", null);
    }

    @Test
    void everyTruncationFailsWithTheFileNamed() {
        String good = json(2, GOOD_ROW, GOOD_ROW);
        for (int length = 0; length < good.length(); length++) {
            String cut = good.substring(0, length);
            failure("lb.json", cut);
        }
        assertThat(failure("lb.json", good.substring(0, good.length() - 30)))
                .contains("the file ends inside a JSON value (truncated file) in row 2");
        String nd = ndjson(2, GOOD_ROW, GOOD_ROW);
        assertThat(failure("lb.ndjson", nd.substring(0, nd.length() - 10))).contains("in row 2");
        assertThat(failure("lb.ndjson", ndjson(2, GOOD_ROW))).contains("declares 2 records but holds 1 rows");
    }

    @Test
    void malformedJsonNeverQuotesTheData() {
        String message = failure("lb.json", json(1, "[\"A\",1,2," + SECRET + ",\"x\"]"));
        assertThat(message).contains("malformed JSON in row 1").contains("line 1, column");
    }

    @Test
    void wrongShapesAreRefusedWithAReason() {
        assertThat(failure("lb.json", "[1,2,3]")).contains("does not start with a JSON object");
        assertThat(failure("lb.json", "")).contains("it is empty");
        assertThat(failure("lb.json", "{\"name\":\"LB\",\"rows\":[[1]]," + COLUMNS + "}"))
                .contains("\"rows\" comes before \"columns\"").contains("attribute order");
        assertThat(failure("lb.json", "{\"datasetJSONVersion\":\"1.0.0\",\"clinicalData\":{}}"))
                .contains("version \"1.0.0\" is not supported");
        assertThat(failure("lb.json", "{\"clinicalData\":{}}")).contains("v1.0");
        assertThat(failure("lb.json", json(3, GOOD_ROW))).contains("declares 3 records but holds 1 rows");
        assertThat(failure("lb.json", json(1, GOOD_ROW) + "{}")).contains("content after the dataset object");
        assertThat(failure("lb.json", json(0).replace("\"double\"", "\"real\""))).contains("has dataType \"real\"");
        assertThat(failure("lb.json", json(0).replace("\"LBDEC\"", "\"LBSEQ\""))).contains("LBSEQ is declared twice");
        assertThat(failure("lb.ndjson", json(1, GOOD_ROW))).contains("name the file .json");
        assertThat(failure("lb.json", "{\"name\":\"LB\",\"records\":0}")).contains("no \"columns\"");
        String metadataOnly = json(0).replace(",\"rows\":[]", "");
        assertThat(failure("lb.json", metadataOnly.replace("\"records\":0", "\"records\":2")))
                .contains("declares 2 records but holds 0 rows");
        assertThat(failure("lb.json", metadataOnly + "[]")).contains("content after the dataset object");
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        byte[] body = json(1, GOOD_ROW).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        assertThat(read("lb.json", new ByteArrayInputStream(withBom))).hasSize(1);
    }

    @Test
    void aFiftyMegabyteStringIsRefusedWithoutBeingHeld() {
        String full = json(1, "[\"X");
        String head = full.substring(0, full.length() - "X]}".length()); // ends inside the first value: ..."rows":[["
        InputStream huge = new SequenceInputStream(new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)),
                new RepeatingStream((byte) 'x', 50L << 20));
        assertThat(failure("lb.json", huge)).contains("a limit is exceeded").contains("String value length");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = json(1, "[" + "[".repeat(100_000));
        assertThat(failure("lb.json", deep)).contains("a limit is exceeded").contains("nesting depth");
        String deepMetadata = "{\"x\":" + "[".repeat(100_000);
        assertThat(failure("lb.json", deepMetadata)).contains("nesting depth");
    }

    @Test
    void tooManyColumnsAreRefused() {
        StringBuilder columns = new StringBuilder("{\"name\":\"X\",\"columns\":[");
        for (int i = 0; i <= DatasetJsonHeader.MAX_COLUMNS; i++) {
            columns.append(i == 0 ? "" : ",").append("{\"name\":\"C").append(i).append("\",\"dataType\":\"string\"}");
        }
        assertThat(failure("x.json", columns.append("]}").toString())).contains("more than 32767 columns");
    }

    /** An input stream of {@code length} copies of one byte, generated as read (nothing held in memory). */
    private static final class RepeatingStream extends InputStream {
        private final byte value;
        private long left;

        RepeatingStream(byte value, long length) {
            this.value = value;
            this.left = length;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return value;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, value);
            left -= n;
            return n;
        }
    }
}
