package org.celltrial.adapter.server;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard reference search parameters that can be answered from the reference rows a selected parameter already
 * writes, e.g. Procedure {@code subject} from the rows of Procedure {@code patient}: both are paths to
 * {@code Procedure.subject}, one of them restricted to Patient targets.
 *
 * <p>HAPI-COUPLING: HAPI stores one reference row (HFJ_RES_LINK) per source, path and target, where the path is the
 * parameter's expression alternative for the type as written ({@code Procedure.subject.where(resolve() is Patient)}),
 * and its search for a reference parameter matches rows by those alternatives. It collects a resource's rows in a
 * set, so two parameters with the same alternative write one row. Such a sibling is therefore stored with the
 * selected parameter's alternative for that type: its search reads the existing rows and indexing writes none more.
 *
 * <p>The restriction is taken with the rows: {@code Procedure?subject=Group/…} then finds nothing, which is what is
 * stored, as the mapping writes Patient subjects only (README, "Search parameters").
 */
final class SharedReferenceRows {

    /** {@code Type.a.b} or {@code Type.a.b.where(resolve() is Target)}: the shapes HAPI writes rows for by path. */
    private static final Pattern ALTERNATIVE =
            Pattern.compile("([A-Z][A-Za-z]*(?:\\.[a-z][A-Za-z0-9]*)+)(?:\\.where\\(resolve\\(\\) is ([A-Z][A-Za-z]*)\\))?");

    private SharedReferenceRows() {
    }

    /**
     * For each selected type, the unselected reference parameters served from a selected one's rows: code to the
     * selected parameter's expression alternative for that type.
     */
    static Map<String, Map<String, String>> siblings(List<SearchParameter> core, Map<String, ? extends java.util.Collection<String>> selection) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        selection.forEach((type, codes) -> {
            Map<String, String> written = new LinkedHashMap<>(); // element path -> alternative a selected parameter writes
            for (SearchParameter sp : core) {
                if (isReference(sp) && bases(sp).contains(type) && codes.contains(sp.getCode())) {
                    List<String> alternatives = alternativesFor(sp, type);
                    if (alternatives.size() == 1) {
                        Matcher m = ALTERNATIVE.matcher(alternatives.get(0));
                        if (m.matches()) {
                            written.putIfAbsent(m.group(1), alternatives.get(0));
                        }
                    }
                }
            }
            Map<String, String> served = new java.util.TreeMap<>();
            for (SearchParameter sp : core) {
                if (!isReference(sp) || !bases(sp).contains(type) || codes.contains(sp.getCode())) {
                    continue;
                }
                List<String> alternatives = alternativesFor(sp, type);
                if (alternatives.size() != 1) {
                    continue;
                }
                Matcher m = ALTERNATIVE.matcher(alternatives.get(0));
                String rows = m.matches() ? written.get(m.group(1)) : null;
                if (rows == null) {
                    continue;
                }
                Matcher w = ALTERNATIVE.matcher(rows);
                w.matches();
                // rows of one target type cannot answer a parameter that asks for another
                if (w.group(2) == null || m.group(2) == null || m.group(2).equals(w.group(2))) {
                    served.put(sp.getCode(), rows);
                }
            }
            if (!served.isEmpty()) {
                out.put(type, served);
            }
        });
        return out;
    }

    /** The expression with its alternatives for {@code type} replaced by {@code alternative}. */
    static String withAlternative(SearchParameter sp, String type, String alternative) {
        List<String> parts = new ArrayList<>();
        boolean replaced = false;
        for (String a : split(sp.getExpression())) {
            if (rootOf(a).equals(type)) {
                if (!replaced) {
                    parts.add(alternative);
                    replaced = true;
                }
            } else {
                parts.add(a);
            }
        }
        return String.join(" | ", parts);
    }

    private static List<String> alternativesFor(SearchParameter sp, String type) {
        return split(sp.getExpression()).stream().filter(a -> rootOf(a).equals(type)).toList();
    }

    private static List<String> split(String expression) {
        if (expression == null) {
            return List.of();
        }
        return java.util.Arrays.stream(expression.split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String rootOf(String alternative) {
        String a = alternative.startsWith("(") ? alternative.substring(1) : alternative;
        int dot = a.indexOf('.');
        return dot < 0 ? a : a.substring(0, dot);
    }

    private static boolean isReference(SearchParameter sp) {
        return sp.getType() == Enumerations.SearchParamType.REFERENCE;
    }

    private static List<String> bases(SearchParameter sp) {
        return sp.getBase().stream().map(CodeType::getCode).toList();
    }
}
