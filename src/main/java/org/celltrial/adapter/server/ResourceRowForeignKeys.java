package org.celltrial.adapter.server;

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
 * server never deletes one. A FHIR delete only marks the resource deleted, and expunge and delete-expunge, the only
 * operations that remove resource rows, are off by a choice configuration cannot undo ({@link HapiJpaConfig}). HAPI inserts a
 * resource's row before its index rows in the same transaction, checks in code that a reference's target exists, and
 * refuses deletes of referenced resources. Should expunge ever be enabled, the keys are created as HAPI defines them.
 *
 * <p>Hibernate's schema update creates no disabled key; {@link #dropExisting} removes those a database created by an
 * earlier version still has. Every other foreign key (terminology, packages, jobs, tag definitions) stays.
 */
public final class ResourceRowForeignKeys implements Integrator {

    private static final Logger log = LoggerFactory.getLogger(ResourceRowForeignKeys.class);
    static final String RESOURCE_TABLE = "HFJ_RESOURCE";

    private final boolean leaveOut;
    private final Set<String> tables = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final List<String> leftOut = new ArrayList<>();

    /** @param rowsMayBeDeleted whether resource rows can be deleted (expunge on): then every key is created */
    public ResourceRowForeignKeys(boolean rowsMayBeDeleted) {
        this.leaveOut = !rowsMayBeDeleted;
    }

    @Override
    public void integrate(Metadata metadata, BootstrapContext bootstrapContext, SessionFactoryImplementor sessionFactory) {
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
        return t.startsWith("HFJ_RES_") || t.startsWith("HFJ_SPIDX_") || t.startsWith("HFJ_IDX_");
    }

    @Override
    public void disintegrate(SessionFactoryImplementor sessionFactory, SessionFactoryServiceRegistry serviceRegistry) {
        // nothing held
    }

    /** The keys not created, as table.name (for tests and the start-up log). */
    public List<String> leftOut() {
        return List.copyOf(leftOut);
    }

    /**
     * Drops the left-out keys that the database still has (created before this class existed). Found through the
     * driver's metadata, so the generated names Hibernate gave some of them and the case of identifiers do not matter.
     * Returns how many were dropped. {@code hapiSchema}: the schema of HAPI's tables, null for the connection's.
     */
    public int dropExisting(DataSource dataSource, String hapiSchema) {
        if (tables.isEmpty()) {
            return 0;
        }
        List<String> drops = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            String schema = hapiSchema != null && !hapiSchema.isBlank() ? hapiSchema : c.getSchema();
            for (String table : tables) {
                for (String name : List.of(table, table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT))) {
                    try (ResultSet keys = meta.getImportedKeys(c.getCatalog(), schema, name)) {
                        while (keys.next()) {
                            if (keys.getString("PKTABLE_NAME").equalsIgnoreCase(RESOURCE_TABLE) && keys.getString("FK_NAME") != null) {
                                String fkSchema = keys.getString("FKTABLE_SCHEM");
                                drops.add("ALTER TABLE " + (fkSchema == null ? "" : fkSchema + ".") + keys.getString("FKTABLE_NAME")
                                        + " DROP CONSTRAINT " + keys.getString("FK_NAME"));
                            }
                        }
                    }
                }
            }
            List<String> distinct = drops.stream().distinct().toList();
            try (Statement s = c.createStatement()) {
                for (String drop : distinct) {
                    s.execute(drop);
                }
            }
            if (!distinct.isEmpty()) {
                log.info("Dropped {} foreign keys to {} that this version does not keep (docs/benchmarks.md)",
                        distinct.size(), RESOURCE_TABLE);
            }
            return distinct.size();
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop the foreign keys to " + RESOURCE_TABLE, e);
        }
    }
}
