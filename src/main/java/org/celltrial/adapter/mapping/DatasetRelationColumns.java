package org.celltrial.adapter.mapping;

/**
 * The columns of a relationship dataset's study-level rows that relate whole datasets (mapping key
 * {@code dataset-relations}; SDTM RELREC: "AE records relate to DS records by AELNKID = DSLNKID"): the related
 * domain ({@code RDOMAIN}), the variable whose equal values link records ({@code IDVAR}), the column a record-level
 * row gives the linked value in ({@code IDVARVAL}) and the relation's identifier ({@code RELID}).
 */
record DatasetRelationColumns(String domain, String variable, String value, String relation) {
}
