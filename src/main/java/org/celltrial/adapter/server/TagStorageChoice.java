package org.celltrial.adapter.server;

import ca.uhn.fhir.jpa.model.entity.StorageSettings.TagStorageModeEnum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where HAPI keeps meta.profile, meta.tag and meta.security, decided once per database and recorded in it.
 *
 * <p>INLINE keeps them in the stored resource body and indexes them like other search parameters ({@code _profile},
 * {@code _tag}, {@code _security} still work): two rows less per tag and version than VERSIONED, which writes a tag
 * row and a history-tag row for each (docs/benchmarks.md). But HAPI reads tags from where its mode says: a database
 * whose resources were stored with VERSIONED tag rows would lose their meta.profile on reads after a switch, and the
 * other way round. So the first start on a database decides: VERSIONED if it already holds tag rows (written by an
 * earlier version of the adapter), INLINE otherwise; the choice is recorded in the table {@code ct_setting} and kept
 * from then on (HAPI may write tag rows in INLINE mode too, e.g. for {@code $meta-add}, which must not flip it).
 * An explicit {@code celltrial.fhir.storage.tag-storage-mode} is used instead and not recorded.
 */
public final class TagStorageChoice {

    private static final Logger log = LoggerFactory.getLogger(TagStorageChoice.class);
    static final String SETTING = "hapi.tag-storage-mode";

    private TagStorageChoice() {
    }

    /** The mode for this database; {@code hapiSchema}: the schema of HAPI's tables, null for the connection's. */
    public static TagStorageModeEnum forDatabase(DataSource dataSource, String hapiSchema) {
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS ct_setting (setting_name VARCHAR(100) PRIMARY KEY, setting_value VARCHAR(1000) NOT NULL)");
            }
            String recorded = recorded(c);
            if (recorded != null) {
                log.info("Tag storage: {} (recorded for this database)", recorded);
                return TagStorageModeEnum.valueOf(recorded);
            }
            String schema = hapiSchema != null && !hapiSchema.isBlank() ? hapiSchema : c.getSchema();
            boolean tagRows = hasRows(c, schema, org.celltrial.adapter.hapi.HapiTables.RESOURCE_TAG)
                    || hasRows(c, schema, org.celltrial.adapter.hapi.HapiTables.HISTORY_TAG);
            TagStorageModeEnum mode = tagRows ? TagStorageModeEnum.VERSIONED : TagStorageModeEnum.INLINE;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ct_setting (setting_name, setting_value) VALUES (?, ?)")) {
                insert.setString(1, SETTING);
                insert.setString(2, mode.name());
                insert.executeUpdate();
            } catch (SQLException raced) {
                // another instance recorded it first: its choice stands
                String theirs = recorded(c);
                if (theirs == null) {
                    throw raced;
                }
                mode = TagStorageModeEnum.valueOf(theirs);
            }
            log.info("Tag storage: {} ({}), recorded for this database", mode,
                    tagRows ? "the database holds tag rows written that way" : "no tag rows in the database");
            return mode;
        } catch (SQLException e) {
            // a start that cannot tell must not guess: the wrong mode hides stored profiles
            throw new IllegalStateException("cannot tell how this database stores resource tags: " + e.getMessage(), e);
        }
    }

    private static String recorded(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT setting_value FROM ct_setting WHERE setting_name = ?")) {
            s.setString(1, SETTING);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Whether HAPI's table exists in the schema and holds a row (PostgreSQL folds names to lower case, H2 to upper). */
    private static boolean hasRows(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : new String[] {table.toUpperCase(java.util.Locale.ROOT), table.toLowerCase(java.util.Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(null, schema, name, new String[] {"TABLE"})) {
                if (!rs.next()) {
                    continue;
                }
            }
            String qualified = schema == null ? name : schema + "." + name;
            try (Statement s = c.createStatement()) {
                s.setMaxRows(1);
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM " + qualified)) {
                    return rs.next();
                }
            }
        }
        return false;
    }
}
