package org.celltrial.adapter.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Source value → target value (a string or a list of codings). Keys match without regard to case and whitespace
 * ({@link #key}), as SDTM controlled terms are upper case but sites write them in any case and spacing.
 *
 * <p>The world is open: a value with no entry is not an error by default ({@link OnUnmapped#KEEP}). The caller keeps
 * the source text and flags the record ({@link DataQualityIssue}). A translation marked {@code on-unmapped: reject} in
 * its mapping file keeps the old rule for the few places where a missing code would be unsafe: the record is rejected
 * with its column, value and the known keys.
 *
 * @param name  how messages name it: "ConceptMap url" or the name in the mapping file
 * @param url   the ConceptMap's canonical url, or null for an inline table
 * @param table normalized key → target
 * @param known the source values as written in the table, for messages
 */
public record Translation(String name, String url, Map<String, Object> table, List<String> known, OnUnmapped onUnmapped) {

    public enum OnUnmapped { KEEP, REJECT }

    /** Trimmed, upper case, without any whitespace: "Not recovered / not resolved" = "NOT RECOVERED/NOT RESOLVED". */
    public static String key(String sourceValue) {
        String upper = sourceValue.toUpperCase(Locale.ROOT);
        StringBuilder sb = null;
        for (int i = 0; i < upper.length(); i++) {
            if (Character.isWhitespace(upper.charAt(i)) || Character.isSpaceChar(upper.charAt(i))) {
                if (sb == null) {
                    sb = new StringBuilder(upper.length());
                    sb.append(upper, 0, i);
                }
            } else if (sb != null) {
                sb.append(upper.charAt(i));
            }
        }
        return sb == null ? upper : sb.toString();
    }

    /** The target of {@code value}; null when it has none and the policy is to keep it. */
    public Object translate(String column, String value) {
        Object target = table.get(key(value));
        if (target == null && onUnmapped == OnUnmapped.REJECT) {
            throw unmapped(column, value, "");
        }
        return target;
    }

    RecordMappingException unmapped(String column, String value, String why) {
        return new RecordMappingException(column, "value '" + value + "' has no translation in '" + name
                + "' (known: " + String.join(", ", new TreeSet<>(known)) + ")" + why);
    }

    public Translation withPolicy(OnUnmapped policy) {
        return new Translation(name, url, table, known, policy);
    }

    @SuppressWarnings("unchecked")
    public boolean producesCodings() {
        return table.values().stream().anyMatch(v -> v instanceof List<?> l && !l.isEmpty()
                && ((List<Object>) l).get(0) instanceof CodingValue);
    }
}
