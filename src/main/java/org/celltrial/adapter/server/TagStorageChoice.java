package org.celltrial.adapter.server;

import ca.uhn.fhir.jpa.model.entity.StorageSettings.TagStorageModeEnum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where HAPI keeps meta.profile, meta.tag and meta.security, decided once per database.
 *
 * <p>INLINE keeps them in the stored resource body and indexes them like other search parameters ({@code _profile},
 * {@code _tag}, {@code _security} still work): two rows less per resource version than VERSIONED, which writes a tag
 * row and a history-tag row for each (docs/benchmarks.md). But HAPI reads tags from where its mode says: a database
 * whose resources were stored with VERSIONED tag rows would lose their meta.profile on reads after a switch. So a
 * database that holds tag rows keeps VERSIONED, and every other one (new, or only ever written inline) uses INLINE.
 * The rule is stable: INLINE writes no tag rows. An explicit {@code celltrial.fhir.storage.tag-storage-mode} wins.
 */
public final class TagStorageChoice {

    private static final Logger log = LoggerFactory.getLogger(TagStorageChoice.class);

    private TagStorageChoice() {
    }

    public static TagStorageModeEnum forDatabase(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String table = tagTable(c.getMetaData(), c.getSchema());
            if (table == null) {
                log.info("Tag storage: INLINE (new database)");
                return TagStorageModeEnum.INLINE;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
                if (rs.next()) {
                    log.info("Tag storage: VERSIONED (the database holds tag rows written that way)");
                    return TagStorageModeEnum.VERSIONED;
                }
            }
            log.info("Tag storage: INLINE (the database holds no tag rows)");
            return TagStorageModeEnum.INLINE;
        } catch (SQLException e) {
            // a start that cannot tell must not guess: the wrong mode hides stored profiles
            throw new IllegalStateException("cannot tell how this database stores resource tags: " + e.getMessage(), e);
        }
    }

    /** HAPI's tag table as the database names it (PostgreSQL folds to lower case, H2 to upper), or null. */
    private static String tagTable(DatabaseMetaData meta, String schema) throws SQLException {
        for (String name : new String[] {"HFJ_RES_TAG", "hfj_res_tag"}) {
            try (ResultSet rs = meta.getTables(null, schema, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return name;
                }
            }
        }
        return null;
    }
}
