package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Broken and hostile XPORT files: each fails with an {@link UnreadableDatasetException} naming the file and saying
 * what is wrong (never a record value), or reads what is there; none exhausts memory or fails with anything else.
 */
class XptBadInputTest {

    private static final String FILE = "bad.xpt";
    private static final String SECRET = "SECRETVAL";

    /** Two members: AE (character and numeric) and a one-column CM. */
    private static byte[] goodFile() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XptWriter writer = new XptWriter(bytes)) {
            writer.startMember("AE", "Adverse Events", List.of(
                    XptWriter.Column.character("USUBJID", "Subject", 9),
                    XptWriter.Column.numeric("AESEQ", "Sequence"),
                    XptWriter.Column.character("AETERM", "Term", 30)));
            for (int i = 1; i <= 7; i++) {
                writer.row(SECRET, (double) i, SECRET + " term " + i);
            }
            writer.startMember("CM", "Medications", List.of(XptWriter.Column.numeric("CMDOSE", "Dose")));
            writer.row(2.5);
        }
        return bytes.toByteArray();
    }

    /**
     * Offsets in goodFile(): library 0-239, AE member header 240, namestr header 560, namestrs 640-1059 (3 x 140,
     * padded to 1120), OBS header 1120, rows from 1200.
     */
    private static final int NAMESTR_HEADER = 560;
    private static final int FIRST_NAMESTR = 640;

    private static List<List<DatasetRow>> readAll(byte[] file) throws Exception {
        List<List<DatasetRow>> members = new ArrayList<>();
        try (DatasetSource source = new XptDatasetReader().open(FILE, new ByteArrayInputStream(file))) {
            DatasetCursor cursor;
            while ((cursor = source.nextDataset()) != null) {
                List<DatasetRow> rows = new ArrayList<>();
                DatasetRow row;
                while ((row = cursor.next()) != null) {
                    rows.add(row);
                }
                members.add(rows);
            }
        }
        return members;
    }

    private static String failure(byte[] file) {
        try {
            readAll(file);
        } catch (UnreadableDatasetException expected) {
            assertThat(expected.getMessage()).startsWith(FILE + ": ").doesNotContain(SECRET);
            return expected.getMessage();
        } catch (Exception other) {
            throw new AssertionError("not an UnreadableDatasetException", other);
        }
        throw new AssertionError("read without failure");
    }

    @Test
    void theGoodFileReads() throws Exception {
        List<List<DatasetRow>> members = readAll(goodFile());
        assertThat(members).hasSize(2);
        assertThat(members.get(0)).hasSize(7);
        assertThat(members.get(0).get(6).values()).containsEntry("AESEQ", "7").containsEntry("AETERM", SECRET + " term 7");
        assertThat(members.get(1)).extracting(DatasetRow::values).containsExactly(Map.of("CMDOSE", "2.5"));
    }

    @Test
    void aMemberNotReadIsSkippedToReachTheNext() throws Exception {
        try (DatasetSource source = new XptDatasetReader().open(FILE, new ByteArrayInputStream(goodFile()))) {
            DatasetCursor ae = source.nextDataset();
            assertThat(ae.next().number()).isEqualTo(1);
            DatasetCursor cm = source.nextDataset();
            assertThat(cm.metadata().name()).isEqualTo("CM");
            assertThat(cm.next().values()).containsEntry("CMDOSE", "2.5");
            assertThat(cm.next()).isNull();
            assertThat(source.nextDataset()).isNull();
        }
    }

    @Test
    void everyTruncationFailsClearlyOrLosesOnlyWholeTrailingRows() throws Exception {
        byte[] good = goodFile();
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            try {
                List<List<DatasetRow>> members = readAll(cut);
                // XPORT v5 has no row count: a cut on a record boundary between rows looks like a shorter file
                assertThat(length % 80).as("cut at %d read without error", length).isZero();
                assertThat(members.stream().mapToInt(List::size).sum()).isLessThanOrEqualTo(8);
            } catch (UnreadableDatasetException expected) {
                assertThat(expected.getMessage()).as("cut at %d", length).startsWith(FILE + ": ")
                        .doesNotContain(SECRET);
                if (length % 80 != 0) {
                    assertThat(expected.getMessage()).contains("byte offset " + length);
                }
            }
        }
        assertThat(failure(Arrays.copyOf(good, 1100))).contains("ends inside an 80-byte record at byte offset 1100");
        // cut inside the second AE row: rows start at 1200 (after the OBS header at 1120) and are 47 bytes long,
        // so the record 1200-1279 holds row 1 and the first 33 bytes of row 2
        String inRow = failure(Arrays.copyOf(good, 1280));
        assertThat(inRow).contains("row 2 of member AE").contains("cut short");
    }

    @Test
    void notAnXportFile() {
        byte[] text = "USUBJID,AETERM\n001,Headache\n".repeat(10).getBytes(StandardCharsets.US_ASCII);
        assertThat(failure(text)).contains("not a SAS XPORT file");
        assertThat(failure(new byte[0])).contains("empty file");
    }

    @Test
    void xportV8AndCportAreRefusedByName() throws Exception {
        byte[] v8 = goodFile();
        put(v8, 0, "HEADER RECORD*******LIBV8   HEADER RECORD!!!!!!!000000000000000000000000000000  ");
        assertThat(failure(v8)).contains("XPORT v8/v9").contains("XPORT v5");
        byte[] cport = ("**COMPRESSED** **COMPRESSED** **COMPRESSED** **COMPRESSED** **COMPRESSED********"
                + " ".repeat(160)).getBytes(StandardCharsets.US_ASCII);
        assertThat(failure(cport)).contains("CPORT");
    }

    @Test
    void aVariableCountThatLies() throws Exception {
        byte[] more = goodFile();
        put(more, NAMESTR_HEADER + 54, "0004");
        assertThat(failure(more)).contains("declares 4 variables").contains("after 3 of them");
        byte[] fewer = goodFile();
        put(fewer, NAMESTR_HEADER + 54, "0002");
        assertThat(failure(fewer)).contains("declares 2 variables but no OBS header follows");
        byte[] many = goodFile();
        put(many, NAMESTR_HEADER + 54, "9999");
        assertThat(failure(many)).contains("declares 9999 variables");
    }

    @Test
    void aMillionVariablesCannotBeDeclared() throws Exception {
        byte[] million = goodFile();
        put(million, NAMESTR_HEADER + 51, "1000000");
        assertThat(failure(million)).contains("does not hold a 4-digit variable count");
    }

    @Test
    void variableLengthsOutOfRange() throws Exception {
        byte[] zero = goodFile();
        putShort(zero, FIRST_NAMESTR + 4, 0);
        assertThat(failure(zero)).contains("variable 1 of member AE").contains("length 0");
        byte[] negative = goodFile();
        putShort(negative, FIRST_NAMESTR + 4, 0xFFFF);
        assertThat(failure(negative)).contains("length -1");
        byte[] longNumeric = goodFile();
        putShort(longNumeric, FIRST_NAMESTR + 140 + 4, 9);
        assertThat(failure(longNumeric)).contains("numeric with length 9");
        // the biggest length a namestr can hold: allowed, but then the rows are not there
        byte[] huge = goodFile();
        putShort(huge, FIRST_NAMESTR + 4, 0x7FFF);
        assertThat(failure(huge)).contains("cut short");
        // a position that puts a value far beyond any sane row
        byte[] farAway = goodFile();
        put32(farAway, FIRST_NAMESTR + 84, 0x7FFFFFF0);
        assertThat(failure(farAway)).contains("row longer than");
        byte[] badType = goodFile();
        putShort(badType, FIRST_NAMESTR, 3);
        assertThat(failure(badType)).contains("has type 3");
    }

    @Test
    void wrongHeaderRecordsInsideTheFile() throws Exception {
        byte[] noMember = goodFile();
        put(noMember, 240, "HEADER RECORD*******SOMETHIN HEADER RECORD!!!!!!!");
        assertThat(failure(noMember)).contains("expected a member header record at byte offset 240");
        byte[] badNamestrLength = goodFile();
        put(badNamestrLength, 240 + 75, "141");
        assertThat(failure(badNamestrLength)).contains("namestr length");
        byte[] duplicate = goodFile();
        put(duplicate, FIRST_NAMESTR + 140 + 8, "USUBJID ");
        assertThat(failure(duplicate)).contains("repeats the name USUBJID");
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() throws Exception {
        byte[] good = goodFile();
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            byte[] damaged = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                damaged[random.nextInt(1200)] = (byte) random.nextInt(256);
            }
            try {
                readAll(damaged);
            } catch (UnreadableDatasetException expected) {
                assertThat(expected.getMessage()).startsWith(FILE + ": ").doesNotContain(SECRET);
            }
        }
    }

    @Test
    void characterValuesInUtf8OrWindows1252() throws Exception {
        for (String charset : List.of("UTF-8", "windows-1252")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (XptWriter writer = new XptWriter(bytes, java.nio.charset.Charset.forName(charset), 140)) {
                writer.startMember("DM", "Démographie", List.of(XptWriter.Column.character("CITY", "Cité", 20)));
                writer.row("Zürich – Genève");
            }
            List<List<DatasetRow>> members = readAll(bytes.toByteArray());
            assertThat(members.get(0).get(0).values()).as(charset).containsEntry("CITY", "Zürich – Genève");
            try (DatasetSource source = new XptDatasetReader().open(FILE, new ByteArrayInputStream(bytes.toByteArray()))) {
                DatasetCursor cursor = source.nextDataset();
                assertThat(cursor.metadata().label()).isEqualTo("Démographie");
                assertThat(cursor.metadata().variables().get(0).label()).isEqualTo("Cité");
            }
        }
    }

    @Test
    void paddingOfShortRowsIsNotRowsButBlankRowsInsideAreKept() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XptWriter writer = new XptWriter(bytes)) {
            writer.startMember("TE", "", List.of(XptWriter.Column.character("ETCD", "", 10)));
            writer.row("A");
            writer.row("");
            writer.row("B");
        }
        // 30 bytes of rows and 50 bytes of padding in the last record: 3 rows, not 8
        assertThat(readAll(bytes.toByteArray()).get(0)).extracting(r -> r.values().get("ETCD"))
                .containsExactly("A", "", "B");
    }

    @Test
    void vaxNamestrsOf136Bytes() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XptWriter writer = new XptWriter(bytes, StandardCharsets.US_ASCII, 136)) {
            writer.startMember("VS", "Vital Signs", List.of(XptWriter.Column.character("VSTESTCD", "Test", 8),
                    XptWriter.Column.numeric("VSSTRESN", "Result")));
            writer.row("TEMP", 36.6);
        }
        assertThat(readAll(bytes.toByteArray()).get(0).get(0).values())
                .containsEntry("VSTESTCD", "TEMP").containsEntry("VSSTRESN", "36.6");
    }

    @Test
    void displayFormatsAreKept() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (XptWriter writer = new XptWriter(bytes)) {
            writer.startMember("AD", "", List.of(new XptWriter.Column("ADT", "Date", true, 8, "DATE", 9, 0),
                    new XptWriter.Column("AVAL", "Value", true, 8, "", 8, 2)));
            writer.row(19000.0, 1.25);
        }
        try (DatasetSource source = new XptDatasetReader().open(FILE, new ByteArrayInputStream(bytes.toByteArray()))) {
            DatasetCursor cursor = source.nextDataset();
            assertThat(cursor.metadata().variables()).extracting(v -> v.displayFormat()).containsExactly("DATE9.", "8.2");
        }
    }

    private static void put(byte[] file, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, file, at, bytes.length);
    }

    private static void putShort(byte[] file, int at, int value) {
        file[at] = (byte) (value >>> 8);
        file[at + 1] = (byte) value;
    }

    private static void put32(byte[] file, int at, int value) {
        putShort(file, at, value >>> 16);
        putShort(file, at + 2, value & 0xFFFF);
    }
}
