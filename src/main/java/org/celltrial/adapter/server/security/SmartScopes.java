package org.celltrial.adapter.server.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a token's SMART scopes allow on the FHIR API. Backend services get {@code system/} scopes: SMART v2
 * {@code system/Patient.rs} (r: read, s: search) and v1 {@code system/Patient.read}; {@code *} for every type. Writes
 * (c, u, d; v1 {@code .write}) are granted for {@link #WRITABLE} types only, named explicitly (a wildcard never grants
 * a write): {@code system/Subscription.cruds}. Scopes of other contexts ({@code patient/}, {@code user/}), v2 scopes
 * with search constraints ({@code ?category=…}) and other write scopes grant nothing.
 */
public final class SmartScopes {

    /** Every resource type. */
    public static final String ALL = "*";
    /** Types a wildcard does not cover: the audit trail is read with its own scope (system/AuditEvent.rs) only. */
    public static final Set<String> EXPLICIT_ONLY = Set.of("AuditEvent", "Subscription");
    /** Types a client may write, with a scope naming the type: an EHR registers its rest-hook Subscriptions. */
    public static final Set<String> WRITABLE = Set.of("Subscription");

    private final Set<String> readable = new LinkedHashSet<>();
    private final Set<String> searchable = new LinkedHashSet<>();
    private final Set<String> creatable = new LinkedHashSet<>();
    private final Set<String> updatable = new LinkedHashSet<>();
    private final Set<String> deletable = new LinkedHashSet<>();

    private SmartScopes() {
    }

    public static SmartScopes of(Collection<String> scopes) {
        SmartScopes s = new SmartScopes();
        for (String scope : scopes) {
            Parsed p = parse(scope);
            if (p != null) {
                if (p.read()) s.readable.add(p.type());
                if (p.search()) s.searchable.add(p.type());
                if (WRITABLE.contains(p.type())) {
                    if (p.create()) s.creatable.add(p.type());
                    if (p.update()) s.updatable.add(p.type());
                    if (p.delete()) s.deletable.add(p.type());
                }
            }
        }
        return s;
    }

    /** A system scope's type and what it allows, or null when it grants nothing on the FHIR API. */
    record Parsed(String type, boolean read, boolean search, boolean create, boolean update, boolean delete) {
        Parsed(String type, boolean read, boolean search) {
            this(type, read, search, false, false, false);
        }
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
        if (rights.equals("read")) { // SMART v1
            return new Parsed(type, true, true);
        }
        if (rights.equals("*")) { // SMART v1: read and write
            return new Parsed(type, true, true, true, true, true);
        }
        if (rights.equals("write")) { // SMART v1
            return WRITABLE.contains(type) ? new Parsed(type, false, false, true, true, true) : null;
        }
        // SMART v2: a subset of "cruds" in that order
        if (!rights.matches("c?r?u?d?s?") || rights.isEmpty()) {
            return null;
        }
        boolean read = rights.contains("r");
        boolean search = rights.contains("s");
        boolean writable = WRITABLE.contains(type);
        boolean create = writable && rights.contains("c");
        boolean update = writable && rights.contains("u");
        boolean delete = writable && rights.contains("d");
        return read || search || create || update || delete ? new Parsed(type, read, search, create, update, delete) : null;
    }

    public boolean mayRead(String type) {
        return readable.contains(type) || readable.contains(ALL) && !EXPLICIT_ONLY.contains(type);
    }

    public boolean maySearch(String type) {
        return searchable.contains(type) || searchable.contains(ALL) && !EXPLICIT_ONLY.contains(type);
    }

    public boolean mayCreate(String type) {
        return creatable.contains(type);
    }

    public boolean mayUpdate(String type) {
        return updatable.contains(type);
    }

    public boolean mayDelete(String type) {
        return deletable.contains(type);
    }

    /** The types it may create, update or delete (named types only). */
    public Set<String> writableTypes() {
        Set<String> all = new LinkedHashSet<>(creatable);
        all.addAll(updatable);
        all.addAll(deletable);
        return all;
    }

    /** The types it may read or search ({@code *} for all). */
    public Set<String> types() {
        Set<String> all = new LinkedHashSet<>(readable);
        all.addAll(searchable);
        return all;
    }

    public boolean any() {
        return !readable.isEmpty() || !searchable.isEmpty() || !writableTypes().isEmpty();
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
                if (p.create()) out.add("system/" + type + ".c");
                if (p.update()) out.add("system/" + type + ".u");
                if (p.delete()) out.add("system/" + type + ".d");
                if (p.create() && p.update() && p.delete()) {
                    out.add("system/" + type + ".cud");
                    out.add("system/" + type + ".write");
                }
                if (p.create() && p.read() && p.update() && p.delete() && p.search()) {
                    out.add("system/" + type + ".cruds");
                }
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
