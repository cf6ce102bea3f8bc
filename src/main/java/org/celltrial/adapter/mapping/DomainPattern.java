package org.celltrial.adapter.mapping;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A mapping file for a family of domains rather than one: {@code domain: "--"} with {@code match-columns: [--TESTCD]}
 * maps any Findings dataset; {@code domain: "SUPP--"} every supplemental qualifier dataset. It is compiled per
 * concrete domain, with {@code --} in its columns and templates standing for the domain code.
 *
 * @param matchColumns with {@code XX} standing for the code (as compiled for the check at load time)
 */
record DomainPattern(String pattern, String file, Set<String> matchColumns, Function<String, DomainMapping> compiler) {

    private static final String CODE = "[A-Z][A-Z0-9]";

    boolean matchesDomain(String domain) {
        return domain.toUpperCase(Locale.ROOT).matches(java.util.regex.Pattern.quote(pattern.substring(0, pattern.indexOf("--")))
                + CODE + java.util.regex.Pattern.quote(pattern.substring(pattern.indexOf("--") + 2)));
    }

    /** Whether a dataset of {@code domain} with these header columns is one this pattern maps. */
    boolean matches(String domain, Set<String> columns) {
        if (!matchesDomain(domain)) {
            return false;
        }
        String code = domain.toUpperCase(Locale.ROOT).substring(pattern.indexOf("--"), pattern.indexOf("--") + 2);
        for (String c : matchColumns) {
            if (!columns.contains(c.replaceFirst("^XX", code))) {
                return false;
            }
        }
        return true;
    }
}
