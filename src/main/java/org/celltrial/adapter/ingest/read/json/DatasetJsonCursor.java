package org.celltrial.adapter.ingest.read.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a Dataset-JSON file, one JSON array at a time: inside {@code rows} for the JSON form, one per line for
 * NDJSON. A row with the wrong number of values, a nested value or a value of the wrong type comes back as a problem
 * row and the next row is still read; broken JSON ends the file with an exception (a parser cannot resynchronise).
 * At the end the row count is checked against the declared {@code records}.
 */
final class DatasetJsonCursor implements DatasetCursor {

    /** A row holding more text than this (all values together) is a problem row; its values are not kept. */
    static final int MAX_ROW_CHARS = 8 << 20;

    private final JsonParser parser;
    private final String file;
    private final DatasetJsonHeader header;
    private final boolean ndjson;
    private int rowNumber;
    private boolean finished;

    DatasetJsonCursor(JsonParser parser, String file, DatasetJsonHeader header, boolean ndjson) {
        this.parser = parser;
        this.file = file;
        this.header = header;
        this.ndjson = ndjson;
    }

    @Override
    public DatasetMetadata metadata() {
        return header.metadata();
    }

    @Override
    public DatasetRow next() throws UnreadableDatasetException, IOException {
        try {
            return readNext();
        } catch (JsonProcessingException broken) {
            throw JsonFailures.unreadable(file, "in row " + (rowNumber + 1), broken);
        }
    }

    private DatasetRow readNext() throws UnreadableDatasetException, IOException {
        if (finished) {
            return null;
        }
        if (!ndjson && !header.rowsFollow()) {
            // JSON form without "rows" (allowed: metadata only); the object is read, the file must end here
            finished = true;
            if (parser.nextToken() != null) {
                throw new UnreadableDatasetException(file + ": content after the dataset object (one dataset per file)");
            }
            checkRecordCount();
            return null;
        }
        JsonToken token = parser.nextToken();
        if (token == null || (!ndjson && token == JsonToken.END_ARRAY)) {
            finished = true;
            if (token != null) {
                readAfterRows();
            }
            checkRecordCount();
            return null;
        }
        int number = rowNumber + 1;
        DatasetRow row;
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            row = DatasetRow.problem(number, "row " + number + " is " + JsonValues.kind(token) + ", not an array of"
                    + " values", null);
        } else {
            row = readRow(number);
        }
        rowNumber = number; // only now: a parse error inside the row is reported as being in row rowNumber + 1
        return row;
    }

    private DatasetRow readRow(int number) throws IOException {
        List<JsonColumn> columns = header.columns();
        int width = columns.size();
        JsonToken[] tokens = new JsonToken[width];
        String[] texts = new String[width];
        int count = 0;
        long chars = 0;
        String nested = null;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
                if (nested == null) {
                    nested = "value " + (count + 1) + " is " + JsonValues.kind(token);
                }
                parser.skipChildren();
            } else if (count < width && chars <= MAX_ROW_CHARS) {
                tokens[count] = token;
                texts[count] = token == JsonToken.VALUE_NULL ? null : parser.getText();
                chars += texts[count] == null ? 0 : texts[count].length();
            }
            count++;
        }
        String problem = null;
        if (count != width) {
            problem = "row has " + count + " values but the file declares " + width + " columns";
        } else if (nested != null) {
            problem = nested + "; row values are strings, numbers, booleans or null";
        } else if (chars > MAX_ROW_CHARS) {
            problem = "row holds more than " + MAX_ROW_CHARS + " characters; refused";
        }
        if (problem != null) {
            return DatasetRow.problem(number, problem, chars > MAX_ROW_CHARS ? null : raw(tokens, texts));
        }
        Map<String, String> values = new LinkedHashMap<>(width * 2);
        for (int i = 0; i < width; i++) {
            JsonColumn column = columns.get(i);
            try {
                values.put(column.name(), JsonValues.convert(column, tokens[i], texts[i]));
            } catch (JsonValues.WrongValue wrong) {
                return DatasetRow.problem(number, wrong.getMessage(), raw(tokens, texts));
            }
        }
        return DatasetRow.of(number, values);
    }

    /** The row as JSON again, for the message store (values as read; never logged). */
    private static String raw(JsonToken[] tokens, String[] texts) {
        StringBuilder json = new StringBuilder("[");
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        for (int i = 0; i < tokens.length && tokens[i] != null; i++) {
            if (i > 0) {
                json.append(',');
            }
            if (texts[i] == null) {
                json.append("null");
            } else if (tokens[i] == JsonToken.VALUE_STRING) {
                json.append('"').append(encoder.quoteAsString(texts[i])).append('"');
            } else {
                json.append(texts[i]);
            }
        }
        return json.append(']').toString();
    }

    /** JSON form: attributes after {@code rows} are allowed (and skipped); then the object and the file must end. */
    private void readAfterRows() throws IOException, UnreadableDatasetException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            parser.nextToken();
            parser.skipChildren();
        }
        if (token != JsonToken.END_OBJECT) {
            throw new UnreadableDatasetException(file + ": malformed JSON after the rows");
        }
        if (parser.nextToken() != null) {
            throw new UnreadableDatasetException(file + ": content after the dataset object (one dataset per file)");
        }
    }

    private void checkRecordCount() throws UnreadableDatasetException {
        if (header.declaredRecords() >= 0 && header.declaredRecords() != rowNumber) {
            throw new UnreadableDatasetException(file + ": the file declares " + header.declaredRecords()
                    + " records but holds " + rowNumber + " rows");
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
