package org.celltrial.adapter.ingest.store;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Locale;

/** Whether the store's tables live in PostgreSQL (else H2), asked of the database once: the SQL dialects differ. */
final class DatabaseKind {

    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    DatabaseKind(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean postgres() {
        Boolean p = postgres;
        if (p == null) {
            String product = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
            p = postgres = product != null && product.toLowerCase(Locale.ROOT).contains("postgres");
        }
        return p;
    }
}
