package org.celltrial.adapter.profiles;

import java.util.HashSet;
import java.util.List;

/**
 * The free codes of a validation shape ({@link ValidationShape#freeCodes()}) in the findings: the HL7 validator names
 * a coding it cannot check as {@code 'system#code'} (e.g. "CodeSystem is unknown and can't be validated: ... for
 * 'https://fhir.celltrial.org/CodeSystem/study#STUDY-A'"), so the findings of a shape are given to another resource
 * with its own codes in those places. Findings that name a free code any other way are not reused at all.
 */
final class FreeCodes {

    private FreeCodes() {
    }

    /**
     * Whether every mention of the free codes in the findings is a quoted coding ({@code system#code'}), and the codes
     * are distinct, so each mention can be put back by position.
     */
    static boolean quotedOnlyAsCodings(ValidationResult findings, List<String> codes) {
        if (codes.isEmpty()) {
            return true;
        }
        if (new HashSet<>(codes).size() != codes.size()) {
            return false;
        }
        for (ValidationResult.Issue issue : findings.issues()) {
            String rest = issue.message() == null ? "" : issue.message();
            for (String c : codes) {
                rest = rest.replace(c + "'", "");
            }
            for (String c : codes) {
                if (rest.contains(c.substring(c.indexOf('#') + 1))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The findings with each quoted coding of {@code from} replaced by the one at the same position of {@code to}. */
    static ValidationResult requote(ValidationResult findings, List<String> from, List<String> to) {
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("shapes differ: " + from.size() + " free codes against " + to.size());
        }
        return new ValidationResult(findings.issues().stream()
                .map(i -> new ValidationResult.Issue(i.severity(), i.location(), requote(i.message(), from, to),
                        i.messageId(), i.line(), i.col()))
                .toList());
    }

    /** One pass over the message, so a replacement is never replaced again. */
    private static String requote(String message, List<String> from, List<String> to) {
        if (message == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(message.length() + 16);
        int i = 0;
        outer:
        while (i < message.length()) {
            for (int k = 0; k < from.size(); k++) {
                String quoted = from.get(k) + "'";
                if (message.startsWith(quoted, i)) {
                    out.append(to.get(k)).append('\'');
                    i += quoted.length();
                    continue outer;
                }
            }
            out.append(message.charAt(i++));
        }
        return out.toString();
    }
}
