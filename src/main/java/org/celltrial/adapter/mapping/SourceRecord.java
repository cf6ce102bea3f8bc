package org.celltrial.adapter.mapping;

import java.util.Map;
import java.util.Objects;

/**
 * One row of a source dataset: where it came from (file, 1-based data row) and its values keyed by
 * upper-case variable name. Absent and empty values, and SAS missing values ({@code .}, {@code .A}–{@code .Z},
 * {@code ._}), all read as "" ({@link MissingValues}).
 *
 * <p>A class rather than a record so that the ingest pipeline can hand the engine its own per-record state object
 * (a subclass): {@link MappedResource#sources()} gives back exactly the objects it was given, so the pipeline
 * reaches a record's state without a lookup table per record.
 */
public class SourceRecord {

    private final String file;
    private final int row;
    private final Map<String, String> values;

    public SourceRecord(String file, int row, Map<String, String> values) {
        this.file = file;
        this.row = row;
        this.values = values;
    }

    public String file() {
        return file;
    }

    public int row() {
        return row;
    }

    public Map<String, String> values() {
        return values;
    }

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

    /** Equal when file, row and values are (as the record this class was); subclasses add no state to it. */
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof SourceRecord r && row == r.row && file.equals(r.file) && values.equals(r.values));
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, row, values);
    }

    /** The origin only: values may be PHI and must not reach a log through a toString. */
    @Override
    public String toString() {
        return origin();
    }
}
