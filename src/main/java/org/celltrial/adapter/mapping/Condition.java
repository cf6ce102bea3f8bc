package org.celltrial.adapter.mapping;

import java.util.Set;

/** A rule's {@code when}/{@code unless}: a column is present, absent, or has one of some values. */
public record Condition(String column, Set<String> values, boolean negate) {

    public boolean test(SourceRecord record) {
        String value = record.get(column);
        boolean result = values == null ? !value.isEmpty() : values.contains(Translation.key(value));
        return negate != result;
    }
}
