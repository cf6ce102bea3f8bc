package org.celltrial.adapter.mapping;

import java.util.List;
import java.util.Set;

/**
 * A rule's {@code when}/{@code unless}: each named column is present, or has one of some values; with several columns
 * ({@code {DSCAT: DISPOSITION EVENT, DSSCAT: [STUDY PARTICIPATION, ""]}}) all of them must hold. {@code unless} is the
 * opposite of the whole: the rule applies unless every column holds.
 */
public record Condition(List<Test> tests, boolean negate) {

    /** One column: present (values null), or one of the values (as {@link Translation#key} gives them; "" is empty). */
    public record Test(String column, Set<String> values) {
        boolean holds(SourceRecord record) {
            String value = record.get(column);
            return values == null ? !value.isEmpty() : values.contains(Translation.key(value));
        }
    }

    public Condition(String column, Set<String> values, boolean negate) {
        this(List.of(new Test(column, values)), negate);
    }

    public boolean test(SourceRecord record) {
        boolean all = true;
        for (Test t : tests) {
            if (!t.holds(record)) {
                all = false;
                break;
            }
        }
        return negate != all;
    }
}
