package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.BindingStrength;
import org.hl7.fhir.r4.model.StructureDefinition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which coded elements FHIR R4 itself binds to a value set with strength "required" (AdverseEvent.outcome, …), read
 * from the core StructureDefinitions that HAPI ships. Such an element cannot hold a value our terminology does not
 * translate, not even as text: the open world then keeps the value only in the resource's data-quality extension.
 */
final class RequiredBindings {

    private static final Map<String, Boolean> CACHE = new ConcurrentHashMap<>();

    private RequiredBindings() {
    }

    /** @param path the element's path from the resource without selectors, e.g. {@code AdverseEvent.outcome} */
    static boolean isRequired(FhirContext ctx, String path) {
        return CACHE.computeIfAbsent(path, p -> lookUp(ctx, p));
    }

    private static boolean lookUp(FhirContext ctx, String path) {
        String type = path.substring(0, path.indexOf('.'));
        IBaseResource sd = ctx.getValidationSupport().fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/" + type);
        if (!(sd instanceof StructureDefinition def)) {
            return false;
        }
        for (ElementDefinition e : def.getSnapshot().getElement()) {
            String p = e.getPath();
            boolean same = p.equals(path) || (p.endsWith("[x]") && path.startsWith(p.substring(0, p.length() - 3))
                    && path.indexOf('.', p.length() - 3) < 0);
            if (same) {
                return e.hasBinding() && e.getBinding().getStrength() == BindingStrength.REQUIRED;
            }
        }
        return false;
    }
}
