package org.celltrial.adapter.profiles;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;

/** Checks produced resources against their profiles before they are stored. */
public interface ResourceValidation {

    /** Returns, for each invalid resource, an OperationOutcome holding its errors; valid ones are absent. */
    Map<Resource, OperationOutcome> invalid(List<Resource> resources);

    /** Counters for the log (e.g. how many validations were reused), or empty. */
    default String stats() {
        return "";
    }
}
