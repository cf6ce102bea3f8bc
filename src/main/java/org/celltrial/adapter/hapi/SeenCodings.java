package org.celltrial.adapter.hapi;

import org.hl7.fhir.validation.codesystem.CodingsObserver;
import org.hl7.fhir.validation.instance.InstanceValidator;

import java.lang.reflect.Field;
import java.util.List;

/**
 * Empties the list of codings an {@link InstanceValidator} has seen, so a long-lived validator does not keep every
 * validated resource reachable.
 *
 * <p>HAPI-COUPLING (HL7 validator internals): InstanceValidator's private field {@code codingObserver}, a
 * {@link CodingsObserver} whose private {@code List list} collects every validated coding with the node stack that
 * holds the whole element tree of its resource, and that nothing clears; it is only read by
 * {@code CodingsObserver.finish()} at the end of a validation (IPS SNOMED checks, off in our use), so emptying it
 * after a validation leaves the validator as a new one would be. Private fields, hence reflection. Without them
 * (another HL7 core version) {@link #forget} answers false and callers replace validators more often instead; the
 * upgrade canary ({@code HapiUpgradeCanaryTest}) fails loudly when they are gone.
 */
public final class SeenCodings {

    static final Field CODING_OBSERVER = field(InstanceValidator.class, "codingObserver");
    static final Field LIST = field(CodingsObserver.class, "list");

    private SeenCodings() {
    }

    /** Whether this HL7 core still has the fields {@link #forget} empties. */
    public static boolean supported() {
        return CODING_OBSERVER != null && LIST != null;
    }

    /** Empties the validator's seen codings; false when they could not be reached (the validator is left as it is). */
    public static boolean forget(InstanceValidator validator) {
        if (!supported()) {
            return false;
        }
        try {
            Object observer = CODING_OBSERVER.get(validator);
            if (observer != null && LIST.get(observer) instanceof List<?> seen) {
                seen.clear();
                return true;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // fall through
        }
        return false;
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
