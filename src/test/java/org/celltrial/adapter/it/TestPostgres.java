package org.celltrial.adapter.it;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.fail;

/**
 * The real PostgreSQL the integration suite runs against (started by .ci/run; locally any server with the
 * same settings). When none answers the test fails, it is never skipped.
 */
final class TestPostgres {

    static final String URL = env("CELLTRIAL_TEST_PG_URL", "jdbc:postgresql://localhost:5432/celltrial_test");
    static final String USER = env("CELLTRIAL_TEST_PG_USER", "celltrial");
    static final String PASSWORD = env("CELLTRIAL_TEST_PG_PASSWORD", "celltrial");

    private TestPostgres() {
    }

    /** Empties the test database so each run starts clean (safe to run twice). */
    static void resetDatabase() {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            fail("PostgreSQL is required for this test but " + URL + " (user " + USER + ") does not answer: "
                    + e.getMessage() + ". Run .ci/run, or start PostgreSQL and set CELLTRIAL_TEST_PG_URL/USER/PASSWORD.");
        }
    }

    /** A new, empty database of its own for one test class (the CI user may create databases). */
    static String freshDatabase(String name) {
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            fail("PostgreSQL is required for this test but " + URL + " (user " + USER + ") does not answer or may not"
                    + " create databases: " + e.getMessage() + ". Run .ci/run, or set CELLTRIAL_TEST_PG_URL/USER/PASSWORD.");
        }
        return URL.substring(0, URL.lastIndexOf('/') + 1) + name;
    }

    static void properties(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> URL);
        r.add("spring.datasource.username", () -> USER);
        r.add("spring.datasource.password", () -> PASSWORD);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
