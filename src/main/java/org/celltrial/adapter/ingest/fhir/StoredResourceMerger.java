package org.celltrial.adapter.ingest.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Set;

/**
 * Study-level resources are built from several datasets (the ResearchStudy from TS and DM), and a delivery
 * may bring only some of them. Before such a resource is written, what this delivery did not produce is
 * carried over from the stored version, so a DM-only delivery keeps the title and registry ids an earlier TS
 * delivery gave the study: a singular element the delivery leaves empty keeps its stored value, and a
 * repeating element keeps the stored entries the delivery does not repeat (identifiers, arms, conditions).
 *
 * <p>The same holds for a subject's resource that a delivery only contributed to ({@code contributes-to} in a
 * mapping: a DS-only delivery sets the status of the ResearchSubject that DM built): everything else is the stored
 * version's.
 */
public class StoredResourceMerger {

    private static final Set<String> NEVER_CARRIED = Set.of("id", "meta", "text", "implicitRules", "language");

    private final FhirContext ctx;
    private final DaoRegistry daoRegistry;

    public StoredResourceMerger(FhirContext ctx, DaoRegistry daoRegistry) {
        this.ctx = ctx;
        this.daoRegistry = daoRegistry;
    }

    /** Returns whether there was a stored version to carry elements over from. */
    public boolean carryOverMissingElements(Resource fresh) {
        IBaseResource stored;
        try {
            stored = daoRegistry.getResourceDao(fresh.fhirType()).read(fresh.getIdElement().toUnqualifiedVersionless(),
                    new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return false;
        }
        for (BaseRuntimeChildDefinition child : ctx.getResourceDefinition(fresh).getChildren()) {
            if (NEVER_CARRIED.contains(child.getElementName())) {
                continue;
            }
            List<IBase> current = child.getAccessor().getValues(fresh);
            List<IBase> old = child.getAccessor().getValues(stored);
            if (child.getMax() == 1) {
                if (current.isEmpty() && !old.isEmpty()) {
                    child.getMutator().setValue(fresh, old.get(0));
                }
                continue;
            }
            for (IBase value : List.copyOf(old)) {
                if (current.stream().noneMatch(c -> ((Base) c).equalsDeep((Base) value))
                        && !sameKey(current, value)) {
                    child.getMutator().addValue(fresh, value);
                }
            }
        }
        return true;
    }

    /** An arm is the same arm when its name matches, even if the delivery changed its description. */
    private static boolean sameKey(List<IBase> current, IBase value) {
        if (value instanceof org.hl7.fhir.r4.model.ResearchStudy.ResearchStudyArmComponent arm) {
            return current.stream().anyMatch(c -> c instanceof org.hl7.fhir.r4.model.ResearchStudy.ResearchStudyArmComponent a
                    && a.getName() != null && a.getName().equals(arm.getName()));
        }
        return false;
    }
}
