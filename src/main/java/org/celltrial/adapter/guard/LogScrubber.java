package org.celltrial.adapter.guard;

import org.hl7.fhir.r4.model.ResourceType;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What every log line goes through (see {@link LogHygiene}): resource ids and query values are replaced by
 * {@code *}, and control characters are escaped, so that no subject id or record value reaches a log (HAPI's messages
 * included) and no value can forge a log line.
 * <ul>
 *   <li>{@code Patient/NKAML-P1-NKAML-P1-01-001/$meta-add} becomes {@code Patient/* /$meta-add}; ids of conformance
 *       resources (StructureDefinition, ValueSet, ...) stay, they name our profiles, not people.</li>
 *   <li>{@code ?identifier=sys|NKAML-P1-01-001&_count=5} becomes {@code ?identifier=*&_count=*}.</li>
 *   <li>A line break inside a message is kept but the next line starts with {@code "  | "}, so it cannot pass for a
 *       log line of its own; other control characters (ANSI escapes, NUL, CR...) become {@code \\uXXXX}.</li>
 * </ul>
 */
public final class LogScrubber {

    /** Definitional resources: their ids name profiles and terminology, never patient data. */
    private static final Set<String> KEEP_IDS = Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap",
            "SearchParameter", "OperationDefinition", "CapabilityStatement", "ImplementationGuide", "NamingSystem",
            "CompartmentDefinition", "StructureMap", "GraphDefinition", "MessageDefinition", "TerminologyCapabilities");

    private static final Pattern REFERENCE = Pattern.compile("(?<![A-Za-z0-9])("
            + Arrays.stream(ResourceType.values()).map(ResourceType::name).filter(t -> !KEEP_IDS.contains(t))
                    .sorted((a, b) -> b.length() - a.length()).collect(Collectors.joining("|"))
            + ")/(?![$_*])([A-Za-z0-9\\-.]{1,64})");
    private static final Pattern QUERY_VALUE = Pattern.compile("([?&][A-Za-z0-9_:.\\-]{1,80})=([^&\\s\"'<>]*)");
    static final String CONTINUATION = "  | ";
    private static final Set<String> RESOURCE_TYPES = Arrays.stream(ResourceType.values()).map(ResourceType::name)
            .collect(Collectors.toUnmodifiableSet());

    private LogScrubber() {
    }

    /** A path segment as it may be logged: an R4 resource type, an operation or a keyword of the FHIR API; else "?". */
    public static String pathWord(String segment) {
        if (segment == null || segment.isEmpty()) {
            return "?";
        }
        if (RESOURCE_TYPES.contains(segment) || segment.matches("[$_][A-Za-z][A-Za-z0-9\\-]{0,40}|metadata")) {
            return segment;
        }
        return "?";
    }

    public static String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        if (s.indexOf('/') >= 0) {
            s = REFERENCE.matcher(s).replaceAll("$1/*");
        }
        if (s.indexOf('?') >= 0 && s.indexOf('=') >= 0) {
            s = scrubQueries(s);
        }
        return escapeControls(s);
    }

    /** Values of query parameters after a {@code ?}, in each URL-like token. */
    private static String scrubQueries(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int q = s.indexOf('?', i);
            if (q < 0) {
                out.append(s, i, s.length());
                break;
            }
            int end = q;
            while (end < s.length() && !Character.isWhitespace(s.charAt(end)) && s.charAt(end) != '"' && s.charAt(end) != '\''
                    && s.charAt(end) != '<' && s.charAt(end) != '>') {
                end++;
            }
            out.append(s, i, q);
            Matcher m = QUERY_VALUE.matcher(s.substring(q, end));
            out.append(m.replaceAll("$1=*"));
            i = end;
        }
        return out.toString();
    }

    static String escapeControls(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder out = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                out.append('\n').append(CONTINUATION);
            } else if (c == '\r') {
                if (i + 1 < n && s.charAt(i + 1) == '\n') {
                    continue; // CRLF: the LF makes the break
                }
                out.append('\n').append(CONTINUATION);
            } else if (needsEscape(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
