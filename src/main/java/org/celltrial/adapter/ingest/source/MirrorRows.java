package org.celltrial.adapter.ingest.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/** A mirror entry's payload: the dataset rows one source record gives, as JSON. */
public final class MirrorRows {

    /** One row of a dataset; values keyed by upper-case column name. */
    public record Row(String dataset, Map<String, String> values) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Row>> ROWS = new TypeReference<>() {
    };

    private MirrorRows() {
    }

    public static String write(List<Row> rows) {
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rows cannot be written as JSON", e);
        }
    }

    public static List<Row> read(String payload) {
        try {
            return JSON.readValue(payload, ROWS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a mirror entry is not readable (" + e.getClass().getSimpleName() + ")");
        }
    }
}
