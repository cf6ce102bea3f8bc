package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.Resource;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HAPI's bridge from {@link IValidationSupport} to the HL7 validator, with a lock-free cache of
 * {@code fetchResource(Class, url)}. The validator looks up the same StructureDefinitions and ValueSets many times
 * per resource; uncached, each lookup goes through the support chain (a synchronized map for StructureDefinitions,
 * the chain's cache keys, the R4 → R5 conversion kept in the resource's user data). Our chain serves fixed
 * in-memory content, so a lookup always gives the same object: caching it (found or not) changes no result.
 */
final class CachingWorkerContext extends WorkerContextValidationSupportAdapter {

    private static final Optional<Resource> MISSING = Optional.empty();

    private final Map<Class<?>, Map<String, Optional<Resource>>> cache = new ConcurrentHashMap<>();

    CachingWorkerContext(IValidationSupport support) {
        super(support);
    }

    @Override
    public <T extends Resource> T fetchResource(Class<T> type, String uri) {
        if (uri == null) {
            return super.fetchResource(type, uri);
        }
        Map<String, Optional<Resource>> byUri = cache.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        Optional<Resource> hit = byUri.get(uri);
        if (hit == null) {
            // not computeIfAbsent: the fetch may recurse into this cache (snapshot generation)
            T fetched = super.fetchResource(type, uri);
            hit = fetched == null ? MISSING : Optional.of(fetched);
            Optional<Resource> raced = byUri.putIfAbsent(uri, hit);
            if (raced != null) {
                hit = raced;
            }
        }
        @SuppressWarnings("unchecked") // as the superclass: the chain returns the type asked for
        T result = (T) hit.orElse(null);
        return result;
    }

    @Override
    public void invalidateCaches() {
        cache.clear();
        super.invalidateCaches();
    }
}
