package org.celltrial.adapter.ingest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.celltrial.adapter.mapping.SourceRecord;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an SDTM dataset exported as CSV the way real tools write it: UTF-8 with or without BOM, a header of
 * SDTMIG variable names in any case, unnamed or unknown extra columns (ignored by the mappings), quoted
 * fields with commas and line breaks. Values are trimmed. The file is streamed (decoded as it is parsed), never
 * held in memory as a whole.
 */
public final class CsvDatasetReader {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .setIgnoreEmptyLines(true)
            .setTrim(true)
            .get();

    /** Thrown for a file that cannot be read as CSV at all; names the file and the reason. */
    public static final class UnreadableFileException extends Exception {
        public UnreadableFileException(String message) {
            super(message);
        }
    }

    public SdtmDataset read(String domain, DeliveryFile file) throws UnreadableFileException {
        try (Reader text = decode(file); CSVParser parser = CSVParser.parse(text, FORMAT)) {
            List<String> header = parser.getHeaderNames();
            Map<String, Integer> index = new HashMap<>();
            Set<String> columns = new LinkedHashSet<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i) == null ? "" : header.get(i).trim().toUpperCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (index.putIfAbsent(name, i) != null) {
                    throw new UnreadableFileException(file.name() + ": column " + name + " appears twice in the header");
                }
                columns.add(name);
            }
            if (columns.isEmpty()) {
                throw new UnreadableFileException(file.name() + ": no header row");
            }
            List<SourceRecord> records = new ArrayList<>();
            List<SdtmDataset.RowProblem> problems = new ArrayList<>();
            int row = 0;
            for (CSVRecord rec : parser) {
                row++;
                if ((row & 1023) == 0) {
                    Abandonment.checkCurrent();
                }
                if (rec.size() != header.size()) {
                    problems.add(new SdtmDataset.RowProblem(row, "row has " + rec.size() + " fields but the header has "
                            + header.size(), String.join(",", rec.values())));
                    continue;
                }
                Map<String, String> values = new HashMap<>(index.size() * 2);
                for (Map.Entry<String, Integer> e : index.entrySet()) {
                    values.put(e.getKey(), rec.get(e.getValue()));
                }
                records.add(new SourceRecord(file.name(), row, values));
            }
            return new SdtmDataset(domain, file.name(), columns, records, problems);
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CharacterCodingException) {
                    throw new UnreadableFileException(file.name() + ": not valid UTF-8 (export the dataset as UTF-8 CSV)");
                }
            }
            // the parser's own words ("EOF reached before encapsulated token finished", with the line), not a Java class name
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new UnreadableFileException(file.name() + ": not readable as CSV: "
                    + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
        }
    }

    /**
     * The file as characters, streamed: a UTF-8 BOM is skipped, and a byte sequence that is not UTF-8 fails the read
     * (with a {@link CharacterCodingException}) where it occurs, never replaced.
     */
    private static Reader decode(DeliveryFile file) throws UnreadableFileException {
        try {
            InputStream in = new BufferedInputStream(file.open(), 64 * 1024);
            in.mark(3);
            byte[] bom = in.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
                in.reset();
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
        } catch (IOException e) {
            throw new UnreadableFileException(file.name() + ": could not be read: " + e.getClass().getSimpleName());
        }
    }
}
