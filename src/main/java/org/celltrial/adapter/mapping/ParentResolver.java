package org.celltrial.adapter.mapping;

/**
 * Finds the resource that a record of another domain produced (or an earlier delivery stored), for records that
 * qualify or relate other records: SUPP-- (RDOMAIN, IDVAR, IDVARVAL) and RELREC.
 */
public interface ParentResolver {

    ParentResolver NONE = (record, domain, keyVariable, keyValue) -> {
        throw new RecordMappingException(null, "parent records cannot be resolved here");
    };

    /**
     * @return the reference {@code Type/id} of the primary resource of the {@code domain} record of this record's
     * study and subject whose {@code keyVariable} is {@code keyValue} (both empty: the subject's own record, DM)
     * @throws RecordMappingException naming what is missing, when there is no such resource
     */
    String resolve(SourceRecord record, String domain, String keyVariable, String keyValue);
}
