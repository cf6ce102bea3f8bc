package org.celltrial.adapter.it;

import ca.uhn.fhir.jpa.model.entity.StorageSettings.TagStorageModeEnum;
import org.celltrial.adapter.server.TagStorageChoice;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The tag storage decision on PostgreSQL, which folds HAPI's table names to lower case. */
class TagStorageChoicePostgresIT {

    @Test
    void aDatabaseHoldingTagRowsStaysVersionedAndANewOneGoesInlineForGood() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestPostgres.freshDatabase("celltrial_it_tags"));
        ds.setUser(TestPostgres.USER);
        ds.setPassword(TestPostgres.PASSWORD);

        // a database written by an earlier version, with tag rows: stays VERSIONED, and that is recorded
        sql(ds, "CREATE TABLE HFJ_RES_TAG (PID BIGINT PRIMARY KEY, RES_ID BIGINT, TAG_ID BIGINT)");
        sql(ds, "CREATE TABLE HFJ_HISTORY_TAG (PID BIGINT PRIMARY KEY, RES_VER_PID BIGINT, TAG_ID BIGINT)");
        sql(ds, "INSERT INTO HFJ_HISTORY_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.VERSIONED);
        sql(ds, "DELETE FROM HFJ_HISTORY_TAG");
        assertThat(TagStorageChoice.forDatabase(ds, null)).isEqualTo(TagStorageModeEnum.VERSIONED);

        // a new database: INLINE, kept even after a tag row appears
        PGSimpleDataSource fresh = new PGSimpleDataSource();
        fresh.setURL(TestPostgres.freshDatabase("celltrial_it_tags_new"));
        fresh.setUser(TestPostgres.USER);
        fresh.setPassword(TestPostgres.PASSWORD);
        assertThat(TagStorageChoice.forDatabase(fresh, null)).isEqualTo(TagStorageModeEnum.INLINE);
        sql(fresh, "CREATE TABLE HFJ_RES_TAG (PID BIGINT PRIMARY KEY, RES_ID BIGINT, TAG_ID BIGINT)");
        sql(fresh, "INSERT INTO HFJ_RES_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(fresh, null)).isEqualTo(TagStorageModeEnum.INLINE);
    }

    private static void sql(PGSimpleDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
