package org.celltrial.adapter.mapping;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * A rule's {@code when}/{@code unless}: each named column is present, has one of some values, or is a number that
 * compares with a bound ({@code {AGE: {eq: 0}}}: "0", "0.0", "00" and "0E0" alike); with several columns
 * ({@code {DSCAT: DISPOSITION EVENT, DSSCAT: [STUDY PARTICIPATION, ""]}}) all of them must hold. {@code unless} is the
 * opposite of the whole: the rule applies unless every column holds.
 */
public record Condition(List<Test> tests, boolean negate) {

    /** How a column's number compares with the bound; a value that is not a number never holds. */
    public enum Op {
        EQ, NE, LT, LE, GT, GE;

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }
    }

    /**
     * One column: present (values and op null), one of the values (as {@link Translation#key} gives them; "" is the
     * empty value), or a number compared by {@code op} with {@code bound}.
     */
    public record Test(String column, Set<String> values, Op op, BigDecimal bound) {

        public Test(String column, Set<String> values) {
            this(column, values, null, null);
        }

        boolean holds(SourceRecord record) {
            String value = record.get(column);
            if (op != null) {
                BigDecimal number;
                try {
                    number = FieldRule.number(column, value);
                } catch (RecordMappingException notANumber) {
                    return false;
                }
                return op.holds(number.compareTo(bound));
            }
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
