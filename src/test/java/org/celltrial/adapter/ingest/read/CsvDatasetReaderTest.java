package org.celltrial.adapter.ingest.read;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CSV reader through the streaming contract every format implements, over CSV as real tools write it. */
class CsvDatasetReaderTest {

    private final CsvDatasetReader reader = new CsvDatasetReader();

    @Test
    void readsCsvFilesByExtensionInAnyCase() {
        assertThat(reader.reads("dm.csv")).isTrue();
        assertThat(reader.reads("AE.CSV")).isTrue();
        assertThat(reader.reads("ae.xpt")).isFalse();
        assertThat(reader.reads("define.xml")).isFalse();
        assertThat(reader.format()).isEqualTo("CSV");
    }

    @Test
    void oneDatasetNamedAfterTheFileWithItsHeaderInFileOrderAndTrimmedValues() throws Exception {
        String csv = "\"\",studyid, Domain ,USUBJID\r\n1,S-1,DM,\"S-1-001\"\n2, S-1 ,DM,\"S-1-002, with comma\nand line\"\n";
        try (DatasetSource source = reader.open("qsph.csv", in(csv))) {
            DatasetCursor cursor = source.nextDataset();
            assertThat(cursor.metadata().name()).isEqualTo("QSPH");
            assertThat(cursor.metadata().variables()).extracting(DatasetMetadata.Variable::name)
                    .containsExactly("STUDYID", "DOMAIN", "USUBJID"); // the unnamed row-number column is left out
            DatasetRow first = cursor.next();
            assertThat(first.number()).isEqualTo(1);
            assertThat(first.problem()).isNull();
            assertThat(first.values()).containsEntry("STUDYID", "S-1").containsEntry("USUBJID", "S-1-001").hasSize(3);
            DatasetRow second = cursor.next();
            assertThat(second.values()).containsEntry("STUDYID", "S-1").containsEntry("USUBJID", "S-1-002, with comma\nand line");
            assertThat(cursor.next()).isNull();
            assertThat(source.nextDataset()).isNull();
        }
    }

    @Test
    void aUtf8BomIsSkippedAndValuesStayAsWrittenSasMissingIncluded() throws Exception {
        byte[] body = "STUDYID,AGE\nS-1,.\nS-1,NA\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        LoadedDataset ds = LoadedDataset.readOne(reader, "dm.csv", new ByteArrayInputStream(withBom));
        assertThat(ds.columns()).containsExactly("STUDYID", "AGE");
        assertThat(ds.rows()).extracting(r -> r.values().get("AGE")).containsExactly(".", "NA");
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsAProblemAndTheRestIsStillRead() throws Exception {
        LoadedDataset ds = LoadedDataset.readOne(reader, "dm.csv", in("STUDYID,USUBJID\nS,1\nS,2,extra\nS,3\n"));
        assertThat(ds.rows()).extracting(DatasetRow::number).containsExactly(1, 3);
        assertThat(ds.problems()).singleElement().satisfies(p -> {
            assertThat(p.number()).isEqualTo(2);
            assertThat(p.problem()).isEqualTo("row has 3 fields but the header has 2");
            assertThat(p.raw()).isEqualTo("S,2,extra");
        });
    }

    @Test
    void aHeaderThatNamesAColumnTwiceOrNothingMakesTheFileUnreadable() {
        assertThatThrownBy(() -> reader.open("dm.csv", in("STUDYID,usubjid,USUBJID\nS,1,1\n")))
                .isInstanceOf(UnreadableDatasetException.class)
                .hasMessage("dm.csv: column USUBJID appears twice in the header");
        assertThatThrownBy(() -> reader.open("dm.csv", in("")))
                .isInstanceOf(UnreadableDatasetException.class).hasMessage("dm.csv: no header row");
    }

    @Test
    void bytesThatAreNotUtf8FailTheReadWhereTheyOccurNeverReplaced() throws Exception {
        // past the reader's first buffer of 64 KiB, so that good rows come first
        byte[] latin1 = ("STUDYID,AETERM\n" + "X,ok\n".repeat(20_000) + "X,caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
        List<DatasetRow> rows = new ArrayList<>();
        try (DatasetSource source = reader.open("ae.csv", new ByteArrayInputStream(latin1))) {
            DatasetCursor cursor = source.nextDataset();
            assertThatThrownBy(() -> {
                DatasetRow r;
                while ((r = cursor.next()) != null) {
                    rows.add(r);
                }
            }).isInstanceOf(UnreadableDatasetException.class)
                    .hasMessage("ae.csv: not valid UTF-8 (export the dataset as UTF-8 CSV)");
        }
        assertThat(rows).isNotEmpty().hasSizeLessThan(20_000);
    }

    @Test
    void aSmallFileThatIsNotUtf8FailsAsItIsOpened() {
        byte[] latin1 = "STUDYID,AETERM\nX,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> reader.open("ae.csv", new ByteArrayInputStream(latin1)))
                .isInstanceOf(UnreadableDatasetException.class)
                .hasMessage("ae.csv: not valid UTF-8 (export the dataset as UTF-8 CSV)");
    }

    @Test
    void aBrokenQuoteIsUnreadableCsvNamingTheFile() throws Exception {
        try (DatasetSource source = reader.open("ae.csv", in("STUDYID,AETERM\nX,\"open\"x\n"))) {
            DatasetCursor cursor = source.nextDataset();
            assertThatThrownBy(cursor::next).isInstanceOf(UnreadableDatasetException.class)
                    .hasMessageStartingWith("ae.csv: not readable as CSV: ");
        }
    }

    private static ByteArrayInputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

}
