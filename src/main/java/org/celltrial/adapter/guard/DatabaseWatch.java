package org.celltrial.adapter.guard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The truth about the database, for the health probes ({@code /actuator/health/readiness} includes it as
 * {@code database}):
 * <ul>
 *   <li><b>readiness</b>: a query ({@code SELECT 1}) on a connection from the application's pool, with a timeout;
 *       DOWN when it fails or takes too long (PostgreSQL down or refusing us, the pool exhausted past its wait).</li>
 *   <li><b>liveness</b> (embedded H2 only): the watch holds one connection of its own, opened at start, and checks it
 *       every few seconds. The database lives inside this process; if that connection dies, H2 has closed the database
 *       under the running application (after a fatal error such as an OutOfMemoryError or a failed write). The pool
 *       would quietly open it again, but what was in flight is lost and the process should be restarted: liveness goes
 *       BROKEN (and readiness DOWN) for good. The FHIR error path reports the same H2 errors when requests meet them.</li>
 * </ul>
 * A PostgreSQL outage never breaks liveness: restarting the adapter does not bring PostgreSQL back.
 */
public class DatabaseWatch implements HealthIndicator, SmartInitializingSingleton, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatch.class);

    private final DataSource dataSource;
    private final DataSourceProperties properties;
    private final ApplicationEventPublisher events;
    private final Duration timeout;
    private final Duration interval;
    private final AtomicReference<String> lost = new AtomicReference<>();
    private final Object anchorLock = new Object();
    private Connection anchor;
    private ScheduledExecutorService watch;
    private volatile boolean stopping;

    public DatabaseWatch(DataSource dataSource, DataSourceProperties properties, ApplicationEventPublisher events,
                         Duration timeout, Duration interval) {
        this.dataSource = dataSource;
        this.properties = properties;
        this.events = events;
        this.timeout = timeout;
        this.interval = interval;
    }

    boolean embeddedH2() {
        String url = properties.determineUrl();
        return url != null && url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!embeddedH2()) {
            return;
        }
        try {
            synchronized (anchorLock) {
                anchor = DriverManager.getConnection(properties.determineUrl(), properties.determineUsername(),
                        properties.determinePassword());
            }
        } catch (SQLException e) {
            LOG.warn("Database watch: cannot open its own H2 connection ({}, error {}); liveness is not watched",
                    e.getClass().getSimpleName(), e.getErrorCode());
            return;
        }
        watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "database-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        watch.scheduleWithFixedDelay(this::checkAnchor, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The embedded database was closed under the process: liveness BROKEN and readiness refused, for good. */
    public void markLost(String reason) {
        if (stopping || !lost.compareAndSet(null, reason)) {
            return;
        }
        LOG.error("The embedded database was closed under the running application ({}): liveness is now BROKEN, restart "
                + "the process", reason);
        AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    }

    public boolean isLost() {
        return lost.get() != null;
    }

    /** Called when a request met a database error: H2's "closed" errors mean the database was lost. */
    public void reportFailure(Throwable error) {
        if (embeddedH2() && DatabaseErrors.classify(error) == DatabaseErrors.Kind.CLOSED) {
            markLost("a request met " + DatabaseErrors.describe(error));
        }
    }

    void checkAnchor() {
        if (stopping) {
            return;
        }
        synchronized (anchorLock) {
            if (anchor == null || lost.get() != null) {
                return;
            }
            try (Statement s = anchor.createStatement()) {
                s.setQueryTimeout(timeoutSeconds());
                s.execute("SELECT 1");
            } catch (SQLException e) {
                if (!stopping && e.getErrorCode() != 57014) {   // 57014: only our timeout
                    markLost("its own connection failed: " + DatabaseErrors.describe(e));
                }
            }
        }
    }

    @Override
    public Health health() {
        String why = lost.get();
        if (why != null) {
            return Health.down().withDetail("reason", "the embedded database was closed under the running application ("
                    + why + "); restart the process").build();
        }
        checkAnchor();
        if ((why = lost.get()) != null) {
            return Health.down().withDetail("reason", why).build();
        }
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds());
            s.execute("SELECT 1");
            return Health.up().withDetail("queryMs", (System.nanoTime() - t0) / 1_000_000).build();
        } catch (SQLException | RuntimeException e) {
            return Health.down().withDetail("reason", DatabaseErrors.describe(e))
                    .withDetail("ms", (System.nanoTime() - t0) / 1_000_000).build();
        }
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    @Override
    public void destroy() {
        stopping = true;
        if (watch != null) {
            watch.shutdownNow();
        }
        synchronized (anchorLock) {
            if (anchor != null) {
                try {
                    anchor.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
                anchor = null;
            }
        }
    }
}
