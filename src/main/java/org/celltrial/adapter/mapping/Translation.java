package org.celltrial.adapter.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Source value → target value (a string or a list of codings). Keys match case-insensitively after
 * trimming, as SDTM controlled terms are upper case but sites write them in any case. An unmapped
 * value is an error naming the column and value: it is never silently dropped.
 */
public record Translation(String name, Map<String, Object> table) {

    public static String key(String sourceValue) {
        return sourceValue.trim().toUpperCase(Locale.ROOT);
    }

    public Object translate(String column, String value) {
        Object target = table.get(key(value));
        if (target == null) {
            throw new RecordMappingException(column, "value '" + value + "' has no translation in '" + name
                    + "' (known: " + String.join(", ", new TreeSet<>(table.keySet())) + ")");
        }
        return target;
    }

    @SuppressWarnings("unchecked")
    public boolean producesCodings() {
        return table.values().stream().anyMatch(v -> v instanceof List<?> l && !l.isEmpty()
                && ((List<Object>) l).get(0) instanceof CodingValue);
    }
}
