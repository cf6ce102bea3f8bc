package org.celltrial.adapter.guard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Database checks of the health probes, under {@code celltrial.health}.
 *
 * @param databaseTimeout       longest a readiness query may take before the database counts as DOWN
 * @param databaseCheckInterval how often the embedded H2 database is checked for having been closed (liveness)
 */
@ConfigurationProperties(prefix = "celltrial.health")
public record HealthProperties(@DefaultValue("2s") Duration databaseTimeout, @DefaultValue("5s") Duration databaseCheckInterval) {
}
