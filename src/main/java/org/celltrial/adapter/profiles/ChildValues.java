package org.celltrial.adapter.profiles;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Property;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The children of an R4 model element in the order {@link Base#children()} gives them, read with
 * {@link Base#getProperty(int, String, boolean)}. {@code children()} builds a {@link Property} (and its value list) for
 * every child the type defines, populated or not; computing each resource's validation shape that way was the largest
 * allocator of the ingest's validation (docs/benchmarks.md). The names per class are taken from
 * {@code children()} once.
 */
final class ChildValues {

    /**
     * A child's name as {@code children()} gives it (choices as {@code value[x]}), and the name and hash getProperty
     * answers to (choices without the {@code [x]}).
     */
    record Child(String name, String property, int hash) {
        static Child of(String name) {
            String property = name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
            return new Child(name, property, property.hashCode());
        }
    }

    private static final ConcurrentHashMap<Class<?>, List<Child>> NAMES = new ConcurrentHashMap<>();

    private ChildValues() {
    }

    static List<Child> of(Base element) {
        return NAMES.computeIfAbsent(element.getClass(),
                c -> element.children().stream().map(p -> Child.of(p.getName())).toList());
    }

    /** The child's values: the same objects as the Property's of {@code children()}; empty when it has none. */
    static Base[] values(Base element, Child child) {
        if (element instanceof Narrative) {
            // getProperty gives the div as a string, children() as xhtml: keep the model's children()
            return element.children().stream().filter(p -> p.getName().equals(child.name()))
                    .flatMap(p -> p.getValues().stream()).toArray(Base[]::new);
        }
        Base[] values = element.getProperty(child.hash(), child.property(), false);
        return values == null ? new Base[0] : values;
    }
}
