package org.celltrial.adapter.ingest.read;

import java.util.List;

/**
 * A dataset as its file declares it. {@code name} is the dataset name in upper case (the XPT member name, the
 * Dataset-JSON {@code name}, or for CSV the file name without extension); {@code label} may be empty.
 */
public record DatasetMetadata(String name, String label, List<Variable> variables) {

    public DatasetMetadata {
        variables = List.copyOf(variables);
    }

    /**
     * One variable (column): its upper-case name, label (may be empty), type, declared length (0 when the format
     * has none), display format (e.g. SAS {@code DATE9.}; may be empty) and, for Dataset-JSON, its Define-XML
     * {@code itemOID} (may be empty).
     */
    public record Variable(String name, String label, VariableType type, int length, String displayFormat,
                           String itemOid) {
    }

    /** Column types as Dataset-JSON v1.1 names them; XPT gives STRING or DOUBLE, CSV STRING only. */
    public enum VariableType { STRING, INTEGER, DOUBLE, FLOAT, DECIMAL, DATE, DATETIME, TIME, URI, BOOLEAN }
}
