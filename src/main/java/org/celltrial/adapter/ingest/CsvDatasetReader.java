package org.celltrial.adapter.ingest;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.celltrial.adapter.mapping.SourceRecord;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
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
 * fields with commas and line breaks. Values are trimmed.
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
        String text = decode(file);
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
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
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new UnreadableFileException(file.name() + ": not readable as CSV: " + e.getMessage());
        }
    }

    private static String decode(DeliveryFile file) throws UnreadableFileException {
        byte[] bytes = file.content();
        int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException(file.name() + ": not valid UTF-8 (export the dataset as UTF-8 CSV)");
        }
    }
}
