package org.celltrial.adapter.mapping;

import java.util.Map;

/**
 * One row of a source dataset: where it came from (file, 1-based data row) and its values keyed by
 * upper-case variable name. Absent and empty values, and SAS missing values ({@code .}, {@code .A}–{@code .Z},
 * {@code ._}), all read as "" ({@link MissingValues}).
 */
public record SourceRecord(String file, int row, Map<String, String> values) {

    public String get(String column) {
        String v = values.get(column);
        return v == null || MissingValues.isSasMissing(v) ? "" : v;
    }

    public boolean has(String column) {
        return !get(column).isEmpty();
    }

    /** "dm.csv row 3": how errors name a record; never includes values, which may be PHI. */
    public String origin() {
        return file + " row " + row;
    }
}
