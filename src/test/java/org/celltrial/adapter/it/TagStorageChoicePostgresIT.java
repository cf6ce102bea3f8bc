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
    void newAndTaglessDatabasesGoInlineAndOneHoldingTagRowsStaysVersioned() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(TestPostgres.freshDatabase("celltrial_it_tags"));
        ds.setUser(TestPostgres.USER);
        ds.setPassword(TestPostgres.PASSWORD);

        assertThat(TagStorageChoice.forDatabase(ds)).isEqualTo(TagStorageModeEnum.INLINE);
        sql(ds, "CREATE TABLE HFJ_RES_TAG (PID BIGINT PRIMARY KEY, RES_ID BIGINT, TAG_ID BIGINT)");
        assertThat(TagStorageChoice.forDatabase(ds)).isEqualTo(TagStorageModeEnum.INLINE);
        sql(ds, "INSERT INTO HFJ_RES_TAG VALUES (1, 1, 1)");
        assertThat(TagStorageChoice.forDatabase(ds)).isEqualTo(TagStorageModeEnum.VERSIONED);
    }

    private static void sql(PGSimpleDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
