package org.celltrial.adapter.mapping;

/** A source record that cannot be mapped; names the column (field) at fault. */
public class RecordMappingException extends RuntimeException {

    private final String column;

    public RecordMappingException(String column, String message) {
        super(message);
        this.column = column;
    }

    public String column() {
        return column;
    }
}
