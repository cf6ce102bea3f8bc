package org.celltrial.adapter.mapping;

/**
 * How real exports write "no value". SAS writes missing numerics as {@code .} and special missings as {@code .A}–{@code .Z}
 * and {@code ._}; these are never data, so they read as empty in every column. R writes {@code NA} for any missing value,
 * but {@code NA} is also a word a site may mean (e.g. "NA" in a free-text comment), so it reads as missing only where the
 * target is a number, a date or a flag, which can never hold it.
 */
public final class MissingValues {

    private MissingValues() {
    }

    /** {@code .}, {@code .A}–{@code .Z}, {@code ._} (SAS missing values). */
    public static boolean isSasMissing(String value) {
        int n = value.length();
        if (n == 0 || n > 2 || value.charAt(0) != '.') {
            return false;
        }
        if (n == 1) {
            return true;
        }
        char c = value.charAt(1);
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    /** R's {@code NA} (and the common {@code N/A}), in any case: missing in a numeric, date or boolean column. */
    public static boolean isNotAvailable(String value) {
        String v = value.trim();
        return v.equalsIgnoreCase("NA") || v.equalsIgnoreCase("N/A");
    }
}
