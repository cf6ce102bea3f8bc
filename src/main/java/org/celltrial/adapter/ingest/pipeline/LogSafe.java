package org.celltrial.adapter.ingest.pipeline;

/**
 * Makes a name or value that came from outside (a delivery or file name, a CSV value in a reason, an exception
 * message) safe to put into a log line or a report: it can then neither start a new line nor move the cursor,
 * recolour a terminal or reorder the text around it. Line breaks and tabs become {@code \n}, {@code \r},
 * {@code \t}; other C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidirectional
 * controls become {@code \}{@code uXXXX}. Everything else (letters of any script, emoji, backslashes) is kept, so
 * ordinary names read as they are.
 */
public final class LogSafe {

    private LogSafe() {
    }

    /** {@code text} with its control characters escaped; {@code null} stays {@code null}. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        while (i < text.length() && !unsafe(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** {@link #escape(String)}, cut to at most {@code max} characters (with the number of characters left out). */
    public static String escape(String text, int max) {
        String safe = escape(text);
        if (safe == null || safe.length() <= max) {
            return safe;
        }
        return safe.substring(0, max) + "... (" + (safe.length() - max) + " more characters)";
    }

    /** An object's {@code toString()}, escaped (for paths, exceptions and the like). */
    public static String escape(Object value) {
        return value == null ? null : escape(value.toString());
    }

    static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == 0x061C                      // Arabic letter mark
                || c == 0x200E || c == 0x200F       // left-to-right / right-to-left mark
                || (c >= 0x202A && c <= 0x202E)     // embeddings and overrides
                || (c >= 0x2066 && c <= 0x2069)     // isolates
                || c == 0x2028 || c == 0x2029;      // line and paragraph separator
    }
}
