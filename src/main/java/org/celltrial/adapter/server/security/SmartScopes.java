package org.celltrial.adapter.server.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a token's SMART scopes allow on the FHIR API. Backend services get {@code system/} scopes: SMART v2
 * {@code system/Patient.rs} (r: read, s: search; c, u, d are never granted here, the API is read-only) and v1
 * {@code system/Patient.read}; {@code *} for every type. Scopes of other contexts ({@code patient/}, {@code user/}),
 * v2 scopes with search constraints ({@code ?category=…}) and write scopes grant nothing.
 */
public final class SmartScopes {

    /** Every resource type. */
    public static final String ALL = "*";
    /** Types a wildcard does not cover: the audit trail is read with its own scope (system/AuditEvent.rs) only. */
    public static final Set<String> EXPLICIT_ONLY = Set.of("AuditEvent");

    private final Set<String> readable = new LinkedHashSet<>();
    private final Set<String> searchable = new LinkedHashSet<>();

    private SmartScopes() {
    }

    public static SmartScopes of(Collection<String> scopes) {
        SmartScopes s = new SmartScopes();
        for (String scope : scopes) {
            Parsed p = parse(scope);
            if (p != null) {
                if (p.read()) s.readable.add(p.type());
                if (p.search()) s.searchable.add(p.type());
            }
        }
        return s;
    }

    /** A system scope's type and what it allows, or null when it grants nothing on the FHIR API. */
    record Parsed(String type, boolean read, boolean search) {
    }

    static Parsed parse(String scope) {
        if (scope == null || !scope.startsWith("system/") || scope.contains("?")) {
            return null;
        }
        int dot = scope.lastIndexOf('.');
        if (dot <= "system/".length()) {
            return null;
        }
        String type = scope.substring("system/".length(), dot);
        String rights = scope.substring(dot + 1);
        if (!type.equals(ALL) && !type.matches("[A-Z][A-Za-z]{1,63}")) {
            return null;
        }
        if (rights.equals("read") || rights.equals("*")) { // SMART v1
            return new Parsed(type, true, true);
        }
        // SMART v2: a subset of "cruds" in that order
        if (!rights.matches("c?r?u?d?s?") || rights.isEmpty()) {
            return null;
        }
        boolean read = rights.contains("r");
        boolean search = rights.contains("s");
        return read || search ? new Parsed(type, read, search) : null;
    }

    public boolean mayRead(String type) {
        return readable.contains(type) || readable.contains(ALL) && !EXPLICIT_ONLY.contains(type);
    }

    public boolean maySearch(String type) {
        return searchable.contains(type) || searchable.contains(ALL) && !EXPLICIT_ONLY.contains(type);
    }

    /** The types it may read or search ({@code *} for all). */
    public Set<String> types() {
        Set<String> all = new LinkedHashSet<>(readable);
        all.addAll(searchable);
        return all;
    }

    public boolean any() {
        return !readable.isEmpty() || !searchable.isEmpty();
    }

    /**
     * The scopes a client registered with {@code registered} may ask for: each one itself and the narrower scopes it
     * covers (system/*.rs covers system/Observation.rs, .r, .s and v1 .read), since an OAuth server grants only
     * requested scopes it knows and SMART clients ask for the least they need.
     */
    public static Set<String> grantable(Collection<String> registered, Collection<String> resourceTypes) {
        Set<String> out = new LinkedHashSet<>();
        for (String scope : registered) {
            out.add(scope);
            Parsed p = parse(scope);
            if (p == null) {
                continue;
            }
            Collection<String> types = p.type().equals(ALL)
                    ? resourceTypes.stream().filter(t -> !EXPLICIT_ONLY.contains(t)).toList() : Set.of(p.type());
            for (String type : p.type().equals(ALL) ? concat(ALL, types) : types) {
                if (p.read() && p.search()) {
                    out.add("system/" + type + ".rs");
                    out.add("system/" + type + ".read");
                }
                if (p.read()) out.add("system/" + type + ".r");
                if (p.search()) out.add("system/" + type + ".s");
            }
        }
        return out;
    }

    private static Collection<String> concat(String first, Collection<String> rest) {
        Set<String> all = new LinkedHashSet<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
