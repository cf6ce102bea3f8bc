package org.celltrial.adapter.server;

import ca.uhn.fhir.jpa.model.entity.StorageSettings.TagStorageModeEnum;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
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

    @Test
    void aNewDatabaseStoresTagsInline() {
        assertThat(TagStorageChoice.forDatabase(database())).isEqualTo(TagStorageModeEnum.INLINE);
    }

    @Test
    void aDatabaseWithoutTagRowsStaysInline() throws SQLException {
        JdbcDataSource ds = database();
        sql(ds, "CREATE TABLE HFJ_RES_TAG (PID BIGINT PRIMARY KEY, RES_ID BIGINT, TAG_ID BIGINT)");
        assertThat(TagStorageChoice.forDatabase(ds)).isEqualTo(TagStorageModeEnum.INLINE);
    }

    @Test
    void aDatabaseHoldingVersionedTagRowsKeepsThem() throws SQLException {
        JdbcDataSource ds = database();
        sql(ds, "CREATE TABLE HFJ_RES_TAG (PID BIGINT PRIMARY KEY, RES_ID BIGINT, TAG_ID BIGINT)");
        sql(ds, "INSERT INTO HFJ_RES_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(ds)).isEqualTo(TagStorageModeEnum.VERSIONED);
    }

    @Test
    void aTagTableInAnotherSchemaIsNotOurs() throws SQLException {
        JdbcDataSource ds = database();
        sql(ds, "CREATE SCHEMA OTHER");
        sql(ds, "CREATE TABLE OTHER.HFJ_RES_TAG (PID BIGINT PRIMARY KEY)");
        sql(ds, "INSERT INTO OTHER.HFJ_RES_TAG VALUES (1)");
        assertThat(TagStorageChoice.forDatabase(ds)).isEqualTo(TagStorageModeEnum.INLINE);
    }
}
