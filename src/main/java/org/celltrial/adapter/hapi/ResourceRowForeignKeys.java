package org.celltrial.adapter.hapi;

import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.mapping.ForeignKey;
import org.hibernate.mapping.Table;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Leaves out the foreign keys of HAPI's schema from the rows written with every resource to the resource's row
 * ({@code HFJ_RESOURCE}): those of its versions, search-index rows, links (both ends) and tags.
 *
 * <p>Why: PostgreSQL checks such a key for every row inserted, with a query that also locks the resource's row
 * ({@code FOR KEY SHARE}, a write to the resource's page). A resource brings ~10 such rows, and these checks were half of
 * PostgreSQL's work per resource stored (docs/benchmarks.md).
 *
 * <p>Why this is safe here: the keys guard against a resource's row being deleted while rows still point at it. This
 * server never deletes one. A FHIR delete only marks the resource deleted. Expunge and delete-expunge, the operations
 * of this server that would remove resource rows, are off by a choice configuration cannot undo ({@code server/HapiJpaConfig});
 * HAPI's other paths that expunge (uninstalling an NPM package, MDM golden resources) are not used here. HAPI inserts a
 * resource's row before its index rows in the same transaction, checks in code that a reference's target exists, and
 * refuses deletes of referenced resources; its error translation names no foreign key. Should expunge ever be enabled,
 * the keys are created as HAPI defines them.
 *
 * <p>HAPI-COUPLING: which of HAPI's tables hold rows written per resource (their names, {@link HapiTables}) and that
 * nothing of HAPI deletes a resource's row while expunge is off; the canaries ({@code HapiUpgradeCanaryTest},
 * {@code HapiUpgradeCanaryIT}) check the names, that expunge is refused and that no resource row is ever deleted.
 *
 * <p>Hibernate's schema update creates no disabled key; {@link #dropExisting} removes those a database created by an
 * earlier version still has. Every other foreign key (terminology, packages, jobs, tag definitions) stays.
 */
public final class ResourceRowForeignKeys implements Integrator {

    private static final Logger log = LoggerFactory.getLogger(ResourceRowForeignKeys.class);
    static final String RESOURCE_TABLE = HapiTables.RESOURCE;

    private final boolean leaveOut;
    private final Set<String> tables = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final List<String> leftOut = new ArrayList<>();

    /** @param rowsMayBeDeleted whether resource rows can be deleted (expunge on): then every key is created */
    public ResourceRowForeignKeys(boolean rowsMayBeDeleted) {
        this.leaveOut = !rowsMayBeDeleted;
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
        tables.clear();
        leftOut.clear();
        if (!leaveOut) {
            return;
        }
        for (Table table : metadata.collectTableMappings()) {
            for (ForeignKey key : table.getForeignKeys().values()) {
                Table target = key.getReferencedTable();
                if (target != null && target.getName().equalsIgnoreCase(RESOURCE_TABLE) && writtenPerResource(table.getName())) {
                    key.disableCreation();
                    tables.add(table.getName());
                    leftOut.add(table.getName() + "." + key.getName());
                }
            }
        }
    }

    /**
     * Versions (HFJ_RES_VER, HFJ_RES_VER_PROV), links, tags and parameter-presence rows (HFJ_RES_*), search-index rows
     * (HFJ_SPIDX_*, HFJ_IDX_*): the rows every resource write brings. Terminology, package and MDM tables keep theirs.
     */
    static boolean writtenPerResource(String table) {
        String t = table.toUpperCase(Locale.ROOT);
        return t.startsWith(HapiTables.RESOURCE_ROWS_PREFIX) || t.startsWith(HapiTables.SEARCH_INDEX_PREFIX)
                || t.startsWith(HapiTables.COMBO_INDEX_PREFIX);
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        // nothing held
    }

    /** The keys not created, as table.name. */
    public List<String> leftOut() {
        return List.copyOf(leftOut);
    }

    /** How many keys {@link #dropExisting} dropped at this start: 0 unless the database was created by an earlier version. */
    public int droppedAtStart() {
        return droppedAtStart;
    }

    private volatile int droppedAtStart;

    /** At start, once Hibernate has updated the schema. */
    public void dropExistingAtStart(DataSource dataSource, String hapiSchema) {
        droppedAtStart = dropExisting(dataSource, hapiSchema);
    }

    /**
     * Drops the left-out keys that the database still has (created before this class existed). Found through the
     * driver's metadata, so the generated names Hibernate gave some of them do not matter. Returns how many were dropped.
     * A key that cannot be dropped (e.g. the database user does not own the table) is logged and stays: the server is
     * then as correct as before, only slower. {@code hapiSchema}: the schema of HAPI's tables, null for the connection's.
     */
    public int dropExisting(DataSource dataSource, String hapiSchema) {
        if (tables.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String quote = meta.getIdentifierQuoteString() == null ? "" : meta.getIdentifierQuoteString().trim();
            String given = hapiSchema != null && !hapiSchema.isBlank() ? hapiSchema : c.getSchema();
            Set<String> drops = new LinkedHashSet<>();
            // the keys that point at the resource table, in one catalogue query (two at most: names fold to lower
            // case on PostgreSQL, to upper on H2), kept when they come from a table whose keys are left out
            for (String schema : given == null ? java.util.Collections.<String>singleton(null) : spellings(given)) {
                for (String name : spellings(RESOURCE_TABLE)) {
                    try (ResultSet keys = meta.getExportedKeys(c.getCatalog(), schema, name)) {
                        while (keys.next()) {
                            if (tables.contains(keys.getString("FKTABLE_NAME")) && keys.getString("FK_NAME") != null) {
                                String fkSchema = keys.getString("FKTABLE_SCHEM");
                                drops.add("ALTER TABLE " + (fkSchema == null ? "" : quote + fkSchema + quote + ".")
                                        + quote + keys.getString("FKTABLE_NAME") + quote
                                        + " DROP CONSTRAINT IF EXISTS " + quote + keys.getString("FK_NAME") + quote);
                            }
                        }
                    }
                }
            }
            int dropped = 0;
            try (Statement s = c.createStatement()) {
                for (String drop : drops) {
                    try {
                        s.execute(drop);
                        if (!c.getAutoCommit()) {
                            c.commit();
                        }
                        dropped++;
                    } catch (SQLException e) {
                        if (!c.getAutoCommit()) {
                            c.rollback();
                        }
                        log.warn("Could not drop a foreign key to {} ({}); writes stay correct, only slower: {}",
                                RESOURCE_TABLE, drop, e.getMessage());
                    }
                }
            }
            if (dropped > 0) {
                log.info("Dropped {} foreign keys to {} that this version does not keep (docs/benchmarks.md)", dropped, RESOURCE_TABLE);
            }
            return dropped;
        } catch (SQLException e) {
            log.warn("Could not look for foreign keys to {} to drop; writes stay correct, only slower: {}", RESOURCE_TABLE,
                    e.getMessage());
            return 0;
        }
    }

    /** As given, lower and upper case: PostgreSQL folds unquoted names to lower case, H2 to upper. */
    private static Set<String> spellings(String name) {
        Set<String> all = new LinkedHashSet<>();
        if (name != null) {
            all.add(name);
            all.add(name.toLowerCase(Locale.ROOT));
            all.add(name.toUpperCase(Locale.ROOT));
        }
        return all;
    }
}
