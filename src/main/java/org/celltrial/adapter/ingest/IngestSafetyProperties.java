package org.celltrial.adapter.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Limits that keep hostile or broken deliveries from taking the adapter down, under {@code celltrial.ingest.safety}
 * in application.yaml (the delivery size limit itself is {@code celltrial.ingest.max-delivery-bytes}).
 *
 * @param maxEntries     most entries of a zip, or files of a folder, in one delivery; more fails the delivery
 * @param maxAttempts    attempts to ingest a delivery that did not finish (the application crashed, was killed or
 *                       stopped while ingesting it) before it is quarantined in error/ instead of being retried
 * @param timeBudget     how long one delivery may take, from its claim to its report; then it is abandoned and
 *                       quarantined in error/
 * @param abandonGrace   how long an abandoned ingest may take to stop before readiness reports it as stuck
 * @param minFreeDisk    free space needed under the data folders; below it no delivery is claimed, readiness is DOWN
 * @param pollStaleAfter readiness is DOWN when the inbox has not been polled for this long (while no delivery runs)
 * @param spool          folder for the decompressed entries of the zip being read (deleted after each delivery)
 */
@ConfigurationProperties(prefix = "celltrial.ingest.safety")
public record IngestSafetyProperties(
        int maxEntries,
        int maxAttempts,
        Duration timeBudget,
        Duration abandonGrace,
        DataSize minFreeDisk,
        Duration pollStaleAfter,
        Path spool) {

    public IngestSafetyProperties {
        if (maxEntries <= 0) maxEntries = 10_000;
        if (maxAttempts <= 0) maxAttempts = 3;
        if (timeBudget == null || timeBudget.isNegative() || timeBudget.isZero()) timeBudget = Duration.ofMinutes(60);
        if (abandonGrace == null || abandonGrace.isNegative()) abandonGrace = Duration.ofMinutes(2);
        if (minFreeDisk == null || minFreeDisk.isNegative()) minFreeDisk = DataSize.ofGigabytes(1);
        if (pollStaleAfter == null || pollStaleAfter.isNegative() || pollStaleAfter.isZero()) pollStaleAfter = Duration.ofSeconds(60);
        if (spool == null) spool = Path.of("data", "tmp", "spool");
    }

    /** The defaults, for code that builds the ingest pieces without Spring. */
    public static IngestSafetyProperties defaults() {
        return new IngestSafetyProperties(0, 0, null, null, null, null, null);
    }
}
