package org.celltrial.adapter.mapping;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every resource the adapter writes carries the study it belongs to as a {@code meta.tag} (system {@link #SYSTEM},
 * code the STUDYID): what per-study access checks on every read and narrows every search by ({@code _tag}), without
 * working out each resource type's path to its study. Set from the record's STUDYID when the resource is created.
 */
public final class StudyTag {

    public static final String SYSTEM = "https://fhir.celltrial.org/CodeSystem/study";
    public static final String STUDY_COLUMN = "STUDYID";

    private StudyTag() {
    }

    public static void set(Resource resource, String studyId) {
        if (studyId == null || studyId.isBlank() || resource.getMeta().getTag(SYSTEM, studyId) != null) {
            return;
        }
        resource.getMeta().addTag(new Coding(SYSTEM, studyId, null));
    }

    /** The study of a stored resource, or null when it carries none (conformance resources, data of other systems). */
    public static String of(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        for (var tag : resource.getMeta().getTag()) {
            if (SYSTEM.equals(tag.getSystem())) {
                return tag.getCode();
            }
        }
        return null;
    }
}
