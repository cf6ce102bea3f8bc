package org.celltrial.adapter.hapi;

/**
 * HAPI JPA's table names that our SQL uses (the tag storage choice, the foreign keys left out, the shared reference
 * rows). HAPI-COUPLING: the names of HAPI's entities' {@code @Table}s, not an API; {@code HapiUpgradeCanaryTest}
 * compares them with the entities.
 */
public final class HapiTables {

    private HapiTables() {
    }

    public static final String RESOURCE = "HFJ_RESOURCE";
    public static final String RESOURCE_LINK = "HFJ_RES_LINK";
    public static final String RESOURCE_TAG = "HFJ_RES_TAG";
    public static final String HISTORY_TAG = "HFJ_HISTORY_TAG";
    /** Prefixes of the tables written with every resource version: versions, links, tags (HFJ_RES_*), indexes. */
    public static final String RESOURCE_ROWS_PREFIX = "HFJ_RES_";
    public static final String SEARCH_INDEX_PREFIX = "HFJ_SPIDX_";
    public static final String COMBO_INDEX_PREFIX = "HFJ_IDX_";
}
