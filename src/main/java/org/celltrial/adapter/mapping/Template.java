package org.celltrial.adapter.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * A text with {COLUMN} placeholders, e.g. "{STUDYID}-{USUBJID}", parsed once when the mapping is loaded.
 * Every referenced column must have a value: keys built from empty columns would collide.
 */
public final class Template {

    private final String source;
    private final List<String> literals = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();

    private Template(String source) {
        this.source = source;
    }

    public static Template parse(String text) {
        Template t = new Template(text);
        int pos = 0;
        while (true) {
            int open = text.indexOf('{', pos);
            if (open < 0) {
                t.literals.add(text.substring(pos));
                return t;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{' in template \"" + text + "\"");
            }
            String column = text.substring(open + 1, close).trim().toUpperCase(java.util.Locale.ROOT);
            if (!column.matches("[A-Z][A-Z0-9_]*")) {
                throw new IllegalArgumentException("'{" + column + "}' in template \"" + text + "\" is not a column name");
            }
            t.literals.add(text.substring(pos, open));
            t.columns.add(column);
            pos = close + 1;
        }
    }

    public String render(SourceRecord record) {
        StringBuilder sb = new StringBuilder(literals.get(0));
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            String value = record.get(column);
            if (value.isEmpty()) {
                throw new RecordMappingException(column, "required value is missing (needed for \"" + source + "\")");
            }
            sb.append(value).append(literals.get(i + 1));
        }
        return sb.toString();
    }

    public List<String> columns() {
        return columns;
    }

    @Override
    public String toString() {
        return source;
    }
}
