package org.celltrial.adapter.guard;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The statement timeouts of {@link TimeoutDataSource} against real slow queries on a real H2 and a real PostgreSQL,
 * through a HikariCP pool of one connection (so request and background work share one database session, as they
 * do in the pool): a request's query that would run for minutes (a cross join counting 10^10 rows) is cancelled by the
 * database after the request timeout and classified as {@link DatabaseErrors.Kind#TIMEOUT}; a background query longer
 * than the request timeout then runs to its end on the same connection; and the request timeout holds again after
 * that, also when other code set a JDBC query timeout in between (as the database health check does).
 * The HTTP side (503 and its OperationOutcome) is StuckDatabaseIT's.
 */
class StatementTimeoutIT {

    private static final Duration REQUEST = Duration.ofMillis(500);

    @Test
    void h2() throws Exception {
        HikariDataSource pool = pool("jdbc:h2:mem:statement-timeouts;DB_CLOSE_DELAY=-1", "sa", "");
        try (pool) {
            check(pool, n -> "SELECT COUNT(*) FROM SYSTEM_RANGE(1, " + n + ") A, SYSTEM_RANGE(1, " + n + ") B");
        }
    }

    @Test
    void postgres() throws Exception {
        String url = env("CELLTRIAL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/celltrial_test");
        HikariDataSource pool;
        try {
            pool = pool(url, env("CELLTRIAL_TEST_PG_USER", "celltrial"), env("CELLTRIAL_TEST_PG_PASSWORD", "celltrial"));
        } catch (RuntimeException e) {
            throw new AssertionError("PostgreSQL is required for this test but " + url + " does not answer: " + e.getMessage()
                    + ". Run .ci/run, or start PostgreSQL and set CELLTRIAL_TEST_PG_URL/USER/PASSWORD.", e);
        }
        try (pool) {
            check(pool, n -> "SELECT COUNT(*) FROM generate_series(1, " + n + ") a, generate_series(1, " + n + ") b");
        }
    }

    private interface CrossJoin {
        String sql(long side);
    }

    private static void check(HikariDataSource pool, CrossJoin crossJoin) throws Exception {
        TimeoutDataSource ds = new TimeoutDataSource(pool, REQUEST, Duration.ZERO);

        // a request: a query of 10^10 rows is cancelled after 0.5 s
        assertRequestCancelled(ds, crossJoin.sql(100_000));

        // background work on the same session: a query longer than the request timeout runs to its end
        long side = 1_000;
        double secs = 0;
        for (int i = 0; i < 6 && secs < 2 * REQUEST.toMillis() / 1000.0; i++, side *= 2) {
            long t0 = System.nanoTime();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(crossJoin.sql(side))) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(side * side);
            }
            secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("[StatementTimeoutIT] background query of %,d rows: %.2f s, not cancelled%n", side * side, secs);
        }
        assertThat(secs).as("a background query ran longer than the request timeout").isGreaterThan(REQUEST.toMillis() / 1000.0);

        // other code sets a JDBC timeout on the pooled session (the health check does): requests still get theirs
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(60);
            s.execute("SELECT 1");
        }
        assertRequestCancelled(ds, crossJoin.sql(100_000));
    }

    private static void assertRequestCancelled(TimeoutDataSource ds, String sql) throws Exception {
        StatementTimeouts.requestStarted();
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            fail("the query ended (%d rows counted) instead of being cancelled", rs.getLong(1));
        } catch (SQLException e) {
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("[StatementTimeoutIT] request query cancelled after %.2f s: %s%n", secs, DatabaseErrors.describe(e));
            assertThat(DatabaseErrors.classify(e)).as(e.toString()).isEqualTo(DatabaseErrors.Kind.TIMEOUT);
            assertThat(secs).isBetween(0.45, 30.0);
        } finally {
            StatementTimeouts.requestEnded();
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(1);
        return pool;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
