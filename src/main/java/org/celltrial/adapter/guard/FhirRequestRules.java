package org.celltrial.adapter.guard;

import java.util.Locale;
import java.util.Map;

/**
 * What a FHIR request costs, judged from its method, path and parameters before HAPI does any work: whether it is
 * <em>expensive</em> (counted against {@link LimitsProperties#expensiveMaxConcurrent()}), and whether it is refused
 * outright (wildcard includes, too many includes, {@code _total=accurate} when not allowed).
 */
final class FhirRequestRules {

    private FhirRequestRules() {
    }

    /**
     * @param method  HTTP method
     * @param subPath the path below the FHIR base, e.g. {@code /Patient/x/$everything} or empty for the base
     * @param params  query (and form) parameters
     */
    static boolean isExpensive(String method, String subPath, Map<String, String[]> params, LimitsProperties limits) {
        String path = subPath == null ? "" : subPath;
        if (path.endsWith("/$export") || path.equals("/$export-poll-status")) {
            return false;  // Bulk Data: a kick-off starts a background job, a status poll reads it; the job does the work
        }
        if (path.contains("/$")) {
            return true;   // operations: $everything, $validate, $expand, ...
        }
        if (path.contains("/_history")) {
            return true;
        }
        if ("POST".equals(method) && (path.isEmpty() || path.equals("/"))) {
            return true;   // batch or transaction
        }
        if (params.containsKey("_getpages")) {
            return false;  // a further page of a search already run
        }
        for (Map.Entry<String, String[]> p : params.entrySet()) {
            String name = p.getKey();
            String bare = baseName(name);
            switch (bare) {
                case "_include", "_revinclude", "_sort", "_has", "_contained", "_content", "_text", "_filter", "_list":
                    return true;
                case "_total":
                    if (any(p.getValue(), "accurate")) return true;
                    break;
                case "_summary":
                    if (any(p.getValue(), "count")) return true;
                    break;
                case "_count":
                    for (String v : p.getValue()) {
                        if (parsesAbove(v, limits.expensivePageSize())) return true;
                    }
                    break;
                default:
                    if (name.contains(".")) return true;   // chained search
            }
        }
        return false;
    }

    /** Why the request is refused with 400 before it reaches HAPI, or null. */
    static String refusal(Map<String, String[]> params, LimitsProperties limits) {
        int includes = 0;
        for (Map.Entry<String, String[]> p : params.entrySet()) {
            String bare = baseName(p.getKey());
            if (bare.equals("_include") || bare.equals("_revinclude")) {
                for (String v : p.getValue()) {
                    for (String value : v.split(",")) {
                        includes++;
                        if (isWildcard(value)) {
                            return p.getKey() + "=" + shorten(value) + ": wildcard includes are not supported (they load every "
                                    + "reference of every match); name the references, e.g. _include=ResearchSubject:individual";
                        }
                    }
                }
            } else if (bare.equals("_offset") && !allNonNegativeIntegers(p.getValue())) {
                // HAPI answers a negative _offset with a 500 and a stack trace (found by the bad-input corpus)
                return "_offset must be a whole number of 0 or more";
            } else if (bare.equals("_total") && any(p.getValue(), "accurate") && !limits.allowTotalAccurate()) {
                return "_total=accurate is not allowed on this server (celltrial.limits.allow-total-accurate); use "
                        + "_summary=count for a count alone";
            }
        }
        if (includes > limits.maxIncludeParameters()) {
            return includes + " _include/_revinclude values; at most " + limits.maxIncludeParameters() + " are allowed in one search";
        }
        return null;
    }

    private static boolean allNonNegativeIntegers(String[] values) {
        for (String v : values) {
            if (!v.trim().matches("\\d{1,9}")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWildcard(String value) {
        String v = value.trim();
        if (v.equals("*")) {
            return true;
        }
        for (String part : v.split(":")) {
            if (part.trim().equals("*")) {
                return true;
            }
        }
        return false;
    }

    private static String baseName(String name) {
        int colon = name.indexOf(':');
        return (colon < 0 ? name : name.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    private static boolean any(String[] values, String wanted) {
        for (String v : values) {
            if (v != null && v.trim().equalsIgnoreCase(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean parsesAbove(String v, int limit) {
        try {
            return Long.parseLong(v.trim()) > limit;
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }

    private static String shorten(String v) {
        return v.length() > 60 ? v.substring(0, 60) + "..." : v;
    }
}
