package org.celltrial.adapter.ingest.read;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetReadersTest {

    private final DatasetReaders readers = DatasetReaders.standard();

    @Test
    void readersAreChosenByExtensionInAnyCase() {
        assertThat(readers.forFile("ae.xpt")).map(DatasetReader::format).contains("SAS XPORT v5");
        assertThat(readers.forFile("AE.XPT")).map(DatasetReader::format).contains("SAS XPORT v5");
        assertThat(readers.forFile("dm.json")).map(DatasetReader::format).contains("Dataset-JSON v1.1");
        assertThat(readers.forFile("lb.NDJSON")).map(DatasetReader::format).contains("Dataset-JSON v1.1");
        assertThat(readers.forFile("define.xml")).isEmpty();
        assertThat(readers.forFile("ae.xpt.zip")).isEmpty();
        assertThat(readers.forFile("xpt")).isEmpty();
    }

    @Test
    void twoReadersForOneExtensionAreRefused() {
        DatasetReader another = new DatasetReader() {
            @Override
            public String format() {
                return "other";
            }

            @Override
            public boolean reads(String fileName) {
                return fileName.endsWith(".xpt");
            }

            @Override
            public DatasetSource open(String fileName, InputStream in) {
                throw new UnsupportedOperationException();
            }
        };
        List<DatasetReader> both = List.of(readers.readers().get(0), another);
        assertThatThrownBy(() -> new DatasetReaders(both)).hasMessageContaining("2 readers take .xpt files");
    }
}
