package org.celltrial.adapter.mapping;

import java.util.Optional;

/** Subjects already stored, for records delivered without their DM row. */
public interface SubjectDirectory {

    SubjectDirectory NONE = id -> Optional.empty();

    Optional<SubjectInfo> find(String subjectId);

    /** Whether a resource ({@code Type/id}) is stored: what a SUPP-- or RELREC record of a later delivery points at. */
    default boolean exists(String ref) {
        return false;
    }
}
