package org.celltrial.adapter.ingest.read.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * CDISC Dataset-JSON v1.1 in both representations: the JSON form ({@code .json}: one object with {@code columns} and
 * a {@code rows} array) and the NDJSON form ({@code .ndjson}: the metadata object on the first line, then one row
 * array per line). Streamed with Jackson's {@link JsonParser}: one row is held at a time. Jackson's read constraints
 * bound every string, number and the nesting depth, so a hostile file fails instead of exhausting memory.
 */
public final class DatasetJsonReader implements DatasetReader {

    /** Longest string value or attribute: SDTM values are at most 200 characters, free text a few thousand. */
    static final int MAX_STRING_LENGTH = 1 << 20;
    /** Dataset-JSON nests 3 levels (object, rows, row); extensions may add a few. */
    static final int MAX_NESTING_DEPTH = 32;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(1000)
                    .maxNameLength(1000)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    @Override
    public String format() {
        return "Dataset-JSON v1.1";
    }

    @Override
    public boolean reads(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".ndjson");
    }

    @Override
    public DatasetSource open(String fileName, InputStream in) throws UnreadableDatasetException, IOException {
        boolean ndjson = fileName.toLowerCase(Locale.ROOT).endsWith(".ndjson");
        JsonParser parser = FACTORY.createParser(in);
        boolean opened = false;
        try {
            DatasetJsonHeader header;
            try {
                header = DatasetJsonHeader.read(parser, fileName, ndjson);
            } catch (JsonProcessingException broken) {
                throw JsonFailures.unreadable(fileName, "in the dataset metadata", broken);
            }
            DatasetJsonCursor cursor = new DatasetJsonCursor(parser, fileName, header, ndjson);
            opened = true;
            return new SingleDatasetSource(cursor);
        } finally {
            if (!opened) {
                parser.close();
                in.close();
            }
        }
    }

    /** A Dataset-JSON file holds exactly one dataset. */
    private static final class SingleDatasetSource implements DatasetSource {
        private DatasetCursor cursor;
        private final DatasetCursor closeable;

        SingleDatasetSource(DatasetCursor cursor) {
            this.cursor = cursor;
            this.closeable = cursor;
        }

        @Override
        public DatasetCursor nextDataset() {
            DatasetCursor next = cursor;
            cursor = null;
            return next;
        }

        @Override
        public void close() throws IOException {
            closeable.close();
        }
    }
}
