package org.celltrial.adapter.mapping;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** All compiled domain mappings, and a version (hash of the mapping files) for provenance. */
public final class MappingSet {

    private final Map<String, DomainMapping> byDomain;
    private final String version;

    MappingSet(Map<String, DomainMapping> byDomain, String version) {
        this.byDomain = byDomain;
        this.version = version;
    }

    Map<String, DomainMapping> byDomain() {
        return byDomain;
    }

    public Optional<DomainMapping> forDomain(String domain) {
        return Optional.ofNullable(byDomain.get(domain.toUpperCase(Locale.ROOT)));
    }

    public Collection<String> domains() {
        return byDomain.keySet();
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
