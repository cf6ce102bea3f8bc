package org.celltrial.adapter.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import org.celltrial.adapter.ingest.read.DatasetRow;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Test side: writes one dataset as Dataset-JSON v1.1, streamed with Jackson's generator. JSON form: one object with
 * the metadata, {@code columns}, then {@code rows} (the attribute order v1.1 recommends, which the adapter's
 * streaming reader requires). NDJSON form: the metadata object on the first line, then one row array per line.
 * Numbers are written as JSON numbers from their decimal text (no binary round trip), a numeric column's empty value
 * as null; character and date values as strings, empty ones as "" (as the CDISC example files do).
 */
final class DatasetJsonWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private DatasetJsonWriter() {
    }

    static void write(OutputStream out, boolean ndjson, String name, String label, List<StudyFormat.Column> columns,
                      List<DatasetRow> rows) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            // NDJSON: the metadata object and each row are root values, one per line
            g.setRootValueSeparator(new SerializedString("\n"));
            g.writeStartObject();
            g.writeStringField("datasetJSONCreationDateTime", LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString());
            g.writeStringField("datasetJSONVersion", "1.1.0");
            g.writeStringField("originator", "CellTrial ingest benchmark (synthetic data)");
            g.writeStringField("itemGroupOID", "IG." + name);
            g.writeNumberField("records", rows.size());
            g.writeStringField("name", name);
            g.writeStringField("label", label);
            g.writeArrayFieldStart("columns");
            for (StudyFormat.Column c : columns) {
                g.writeStartObject();
                g.writeStringField("itemOID", "IT." + name + "." + c.name());
                g.writeStringField("name", c.name());
                g.writeStringField("label", c.label());
                g.writeStringField("dataType", c.type().dataType);
                // v1.1: length is for string columns (and decimals); dates and numbers have none
                if (c.type() == StudyFormat.Type.STRING) g.writeNumberField("length", c.length());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (ndjson) {
                g.writeEndObject();
            } else {
                g.writeArrayFieldStart("rows");
            }
            for (DatasetRow r : rows) {
                g.writeStartArray();
                for (StudyFormat.Column c : columns) {
                    String v = r.values().get(c.name());
                    if (!c.type().numeric()) {
                        g.writeString(v);
                    } else if (v.isEmpty()) {
                        g.writeNull();
                    } else if (c.type() == StudyFormat.Type.INTEGER) {
                        g.writeNumber(Long.parseLong(v));
                    } else {
                        g.writeNumber(new BigDecimal(v));
                    }
                }
                g.writeEndArray();
            }
            if (!ndjson) {
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeRaw('\n');
        }
    }
}
