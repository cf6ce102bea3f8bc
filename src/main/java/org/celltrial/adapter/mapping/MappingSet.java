package org.celltrial.adapter.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All compiled domain mappings, and a version (hash of the mapping files) for provenance. A domain is mapped by its own
 * file ({@code domain: AE}) or, failing that, by the first pattern file that fits it ({@code domain: "--"}, see
 * {@link DomainPattern}), compiled for that domain once.
 */
public final class MappingSet {

    private final Map<String, DomainMapping> byDomain;
    private final List<DomainPattern> patterns;
    private final Map<String, DomainMapping> compiled = new ConcurrentHashMap<>();
    private final String version;

    MappingSet(Map<String, DomainMapping> byDomain, String version) {
        this(byDomain, List.of(), version);
    }

    MappingSet(Map<String, DomainMapping> byDomain, List<DomainPattern> patterns, String version) {
        this.byDomain = byDomain;
        this.patterns = patterns;
        this.version = version;
    }

    Map<String, DomainMapping> byDomain() {
        return byDomain;
    }

    List<DomainPattern> patterns() {
        return patterns;
    }

    /** The mapping of a domain: its own file, or a pattern file whose domain fits (columns not checked). */
    public Optional<DomainMapping> forDomain(String domain) {
        String d = domain.toUpperCase(Locale.ROOT);
        DomainMapping exact = byDomain.get(d);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (DomainPattern p : patterns) {
            if (p.matchesDomain(d)) {
                return Optional.of(compiled(p, d));
            }
        }
        return Optional.empty();
    }

    /** The mapping of a dataset of {@code domain} with these header columns (upper case). */
    public Optional<DomainMapping> forDataset(String domain, Set<String> columns) {
        String d = domain.toUpperCase(Locale.ROOT);
        DomainMapping exact = byDomain.get(d);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (DomainPattern p : patterns) {
            if (p.matches(d, columns)) {
                return Optional.of(compiled(p, d));
            }
        }
        return Optional.empty();
    }

    private DomainMapping compiled(DomainPattern p, String domain) {
        return compiled.computeIfAbsent(p.file() + "|" + domain, k -> p.compiler().apply(domain));
    }

    /** The mapped domains and the domain patterns ({@code --}, {@code SUPP--}). */
    public Collection<String> domains() {
        List<String> all = new ArrayList<>(byDomain.keySet());
        patterns.forEach(p -> all.add(p.pattern()));
        return all;
    }

    public String version() {
        return version;
    }

    /** Orders datasets so that studies and subjects exist before the records that refer to them. */
    public static Comparator<DomainMapping> processingOrder() {
        return Comparator.comparingInt(DomainMapping::processingRank).thenComparing(DomainMapping::domain);
    }

    public List<DomainMapping> all() {
        List<DomainMapping> list = new ArrayList<>(byDomain.values());
        list.sort(processingOrder());
        return list;
    }
}
