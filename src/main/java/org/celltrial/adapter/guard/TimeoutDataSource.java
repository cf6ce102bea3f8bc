package org.celltrial.adapter.guard;

import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The application's pool, with a statement timeout set on every connection as it is taken, by the kind of thread
 * taking it ({@link StatementTimeouts}): no request can make the database work for longer than
 * {@code celltrial.limits.statement-timeout} on one statement.
 *
 * <p>Set on the database session rather than per JDBC statement, because the statements are made by Hibernate and HAPI
 * (which set no timeout) and because both databases enforce it themselves: H2's {@code SET QUERY_TIMEOUT} (ms) makes
 * its long loops check for cancellation, PostgreSQL's {@code statement_timeout} is enforced by the server even when
 * the statement waits for a lock. Both are session settings that a pooled connection keeps, so each checkout sets the
 * value its thread needs: on H2 always (an in-process command of a few microseconds; other code, e.g. a JDBC
 * {@code setQueryTimeout}, also changes it there), on PostgreSQL only when it differs from what this pool last set
 * on that connection (a round trip).
 */
public class TimeoutDataSource extends DelegatingDataSource {

    private final int requestMs;
    private final int backgroundMs;
    private final Map<Connection, Integer> pgSet = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile Boolean h2;

    public TimeoutDataSource(DataSource pool, Duration request, Duration background) {
        super(pool);
        this.requestMs = millis(request);
        this.backgroundMs = millis(background);
    }

    static int millis(Duration d) {
        return d == null || d.isZero() || d.isNegative() ? 0 : (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return applied(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return applied(super.getConnection(username, password));
    }

    private Connection applied(Connection c) throws SQLException {
        int ms = StatementTimeouts.requestDriven() ? requestMs : backgroundMs;
        try {
            if (h2(c)) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET QUERY_TIMEOUT " + ms);
                }
            } else {
                Connection physical = c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
                Integer last = pgSet.get(physical);
                if (last == null || last != ms) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET statement_timeout = " + ms);
                    }
                    pgSet.put(physical, ms);
                }
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private boolean h2(Connection c) throws SQLException {
        Boolean b = h2;
        if (b == null) {
            String product = c.getMetaData().getDatabaseProductName();
            b = h2 = product != null && product.toLowerCase(Locale.ROOT).startsWith("h2");
        }
        return b;
    }
}
