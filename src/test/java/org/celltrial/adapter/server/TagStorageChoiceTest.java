package org.celltrial.adapter.server;

import ca.uhn.fhir.jpa.model.entity.StorageSettings.TagStorageModeEnum;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class TagStorageChoiceTest {

    private static JdbcDataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tags-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    private static void sql(JdbcDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String recorded(JdbcDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT setting_value FROM ct_setting WHERE setting_name = 'hapi.tag-storage-mode'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** HAPI's two tag tables, empty. */
    private static void tagTables(JdbcDataSource ds) throws SQLException {
        sql(ds, "CREATE TABLE HFJ_RES_TAG (PID BIGINT PRIMARY KEY, RES_ID BIGINT, TAG_ID BIGINT)");
        sql(ds, "CREATE TABLE HFJ_HISTORY_TAG (PID BIGINT PRIMARY KEY, RES_VER_PID BIGINT, TAG_ID BIGINT)");
    }

    @Test
    void aNewDatabaseStoresTagsInlineAndKeepsThatChoiceWhateverIsWrittenLater() throws SQLException {
        JdbcDataSource ds = database();
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.INLINE);
        assertThat(recorded(ds)).isEqualTo("INLINE");
        // e.g. HAPI's $meta-add writes a tag row even in inline mode: the recorded choice stands
        tagTables(ds);
        sql(ds, "INSERT INTO HFJ_RES_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.INLINE);
    }

    @Test
    void aDatabaseWithHapiTablesButNoTagRowsGoesInline() throws SQLException {
        JdbcDataSource ds = database();
        tagTables(ds);
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.INLINE);
    }

    @Test
    void aDatabaseHoldingVersionedTagRowsKeepsThem() throws SQLException {
        JdbcDataSource ds = database();
        tagTables(ds);
        sql(ds, "INSERT INTO HFJ_RES_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.VERSIONED);
        assertThat(recorded(ds)).isEqualTo("VERSIONED");
        sql(ds, "DELETE FROM HFJ_RES_TAG");
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.VERSIONED);
    }

    @Test
    void historyTagRowsAloneAlsoKeepVersioned() throws SQLException {
        JdbcDataSource ds = database();
        tagTables(ds);
        sql(ds, "INSERT INTO HFJ_HISTORY_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.VERSIONED);
    }

    @Test
    void hapiTablesAreLookedForInHapisSchema() throws SQLException {
        JdbcDataSource other = database();
        sql(other, "CREATE SCHEMA FHIR");
        sql(other, "CREATE TABLE FHIR.HFJ_RES_TAG (PID BIGINT PRIMARY KEY)");
        sql(other, "INSERT INTO FHIR.HFJ_RES_TAG VALUES (1)");
        assertThat(TagStorageChoice.forDatabase(other, "FHIR")).isEqualTo(TagStorageModeEnum.VERSIONED);

        JdbcDataSource notOurs = database();
        sql(notOurs, "CREATE SCHEMA OTHER");
        sql(notOurs, "CREATE TABLE OTHER.HFJ_RES_TAG (PID BIGINT PRIMARY KEY)");
        sql(notOurs, "INSERT INTO OTHER.HFJ_RES_TAG VALUES (1)");
        assertThat(TagStorageChoice.forDatabase(notOurs, null)).isEqualTo(TagStorageModeEnum.INLINE);
    }
}
