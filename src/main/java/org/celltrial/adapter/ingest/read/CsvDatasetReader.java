package org.celltrial.adapter.ingest.read;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an SDTM dataset exported as CSV the way real tools write it: UTF-8 with or without BOM, a header of
 * SDTMIG variable names in any case, unnamed or unknown extra columns (ignored by the mappings), quoted
 * fields with commas and line breaks. Values are trimmed. The file is streamed (decoded as it is parsed), never
 * held in memory as a whole; one file is one dataset, named after the file without its extension.
 *
 * <p>Values are given as written (trimmed), SAS missing values ({@code .}, {@code .A}) included, unlike the other
 * formats: CSV has no typed missing value, so a {@code .} is text here, and the mapping engine, which reads SAS
 * missing values as absent whatever the format, decides (the message store keeps records as the engine reads them,
 * so their content hashes are the same either way).
 *
 * <p>A non-UTF-8 byte sequence fails the read where it occurs (never replaced), in {@link DatasetCursor#next()} if it
 * is past the header.
 */
public final class CsvDatasetReader implements DatasetReader {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    @Override
    public String format() {
        return "CSV";
    }

    @Override
    public boolean reads(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    @Override
    public DatasetSource open(String fileName, InputStream in) throws UnreadableDatasetException, IOException {
        Reader text;
        try {
            text = decode(in); // an I/O error here is the file's, not its format's: thrown as it is
        } catch (IOException e) {
            in.close();
            throw e;
        }
        CSVParser parser;
        try {
            parser = CSVParser.parse(text, FORMAT);
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            text.close();
            throw unreadable(fileName, e);
        }
        try {
            Cursor cursor = new Cursor(fileName, parser);
            return new DatasetSource() {
                private boolean given;

                @Override
                public DatasetCursor nextDataset() {
                    if (given) {
                        return null;
                    }
                    given = true;
                    return cursor;
                }

                @Override
                public void close() throws IOException {
                    parser.close();
                }
            };
        } catch (UnreadableDatasetException | RuntimeException e) {
            parser.close();
            throw e;
        }
    }

    /** The one dataset of a CSV file. */
    private static final class Cursor implements DatasetCursor {
        private final String fileName;
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final DatasetMetadata metadata;
        private final int fields;
        /** Upper-case variable name → its field in a row (unnamed columns are left out). */
        private final Map<String, Integer> index = new HashMap<>();
        private int row;

        Cursor(String fileName, CSVParser parser) throws UnreadableDatasetException {
            this.fileName = fileName;
            this.parser = parser;
            List<String> header = parser.getHeaderNames();
            List<DatasetMetadata.Variable> variables = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i) == null ? "" : header.get(i).trim().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (index.putIfAbsent(name, i) != null) {
                    throw new UnreadableDatasetException(fileName + ": column " + name + " appears twice in the header");
                }
                variables.add(new DatasetMetadata.Variable(name, "", DatasetMetadata.VariableType.STRING, 0, "", ""));
            }
            if (variables.isEmpty()) {
                throw new UnreadableDatasetException(fileName + ": no header row");
            }
            this.fields = header.size();
            this.metadata = new DatasetMetadata(stem(fileName), "", variables);
            this.records = parser.iterator();
        }

        @Override
        public DatasetMetadata metadata() {
            return metadata;
        }

        @Override
        public DatasetRow next() throws UnreadableDatasetException {
            CSVRecord rec;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                rec = records.next();
            } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                throw unreadable(fileName, e);
            }
            row++;
            if (rec.size() != fields) {
                return DatasetRow.problem(row, "row has " + rec.size() + " fields but the header has " + fields,
                        String.join(",", rec.values()));
            }
            Map<String, String> values = new HashMap<>(index.size() * 2);
            for (Map.Entry<String, Integer> e : index.entrySet()) {
                values.put(e.getKey(), rec.get(e.getValue()));
            }
            return DatasetRow.of(row, values);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    /** "qsph.csv" → "QSPH". */
    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return (dot < 0 ? fileName : fileName.substring(0, dot)).toUpperCase(Locale.ROOT);
    }

    private static UnreadableDatasetException unreadable(String fileName, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CharacterCodingException) {
                return new UnreadableDatasetException(fileName + ": not valid UTF-8 (export the dataset as UTF-8 CSV)");
            }
        }
        // the parser's own words ("EOF reached before encapsulated token finished", with the line), not a Java class name
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new UnreadableDatasetException(fileName + ": not readable as CSV: "
                + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
    }

    /**
     * The file as characters, streamed: a UTF-8 BOM is skipped, and a byte sequence that is not UTF-8 fails the read
     * (with a {@link CharacterCodingException}) where it occurs, never replaced.
     */
    private static Reader decode(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(3);
        byte[] bom = in.readNBytes(3);
        if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
            in.reset();
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
    }
}
