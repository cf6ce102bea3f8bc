package org.celltrial.adapter.ingest.read;

import java.util.Map;

/**
 * One row: its 1-based number in the dataset, and its values keyed by upper-case variable name. Every value is the
 * text the mapping engine reads, written as SDTM writes it: missing values of any kind (empty, SAS {@code .},
 * {@code .A}–{@code .Z}, {@code ._}, JSON null) are "", numbers are plain decimals without exponent or trailing
 * zeros ({@code 12}, {@code 0.5}, {@code -3.25}), binary floating-point ones (SAS numerics, Dataset-JSON float and
 * double) rounded to 15 significant digits ({@link NumberText}), so a dataset gives the same values whatever its file
 * format. Character values from XPT lose SAS's trailing blank padding; other strings are kept as the file has them.
 * {@code problem} is null for a good row; otherwise it says what is wrong, {@code values} may be empty and
 * {@code raw} holds the row as read (for the message store; never logged).
 */
public record DatasetRow(int number, Map<String, String> values, String problem, String raw) {

    public static DatasetRow of(int number, Map<String, String> values) {
        return new DatasetRow(number, values, null, null);
    }

    public static DatasetRow problem(int number, String problem, String raw) {
        return new DatasetRow(number, Map.of(), problem, raw);
    }
}
