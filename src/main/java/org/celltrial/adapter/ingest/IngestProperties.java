package org.celltrial.adapter.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;

/**
 * Settings of the SDTM file-drop ingestion, under {@code celltrial.ingest} in application.yaml ({@code mappings} and
 * {@code timezone} there are the mapping engine's: {@link org.celltrial.adapter.mapping.MappingProperties}).
 */
@ConfigurationProperties(prefix = "celltrial.ingest")
public record IngestProperties(
        boolean enabled,
        Path inbox,
        Path work,
        Path done,
        Path error,
        long pollIntervalMs,
        long quietPeriodMs,
        long maxDeliveryBytes,
        int storeRetries,
        boolean seedDemoStudies,
        int workers,
        int subjectsPerTransaction,
        Long streamAboveBytes,
        int subjectsPerChunk) {

    public IngestProperties {
        Path data = Path.of("data");
        if (inbox == null) inbox = data.resolve("inbox");
        if (work == null) work = inbox.resolve(".processing");
        if (done == null) done = data.resolve("done");
        if (error == null) error = data.resolve("error");
        if (pollIntervalMs <= 0) pollIntervalMs = 2000;
        if (quietPeriodMs < 0) quietPeriodMs = 0;
        if (maxDeliveryBytes <= 0) maxDeliveryBytes = 512L * 1024 * 1024;
        if (storeRetries < 0) storeRetries = 0;
        if (subjectsPerTransaction <= 0) subjectsPerTransaction = 25;
        if (streamAboveBytes == null || streamAboveBytes < 0) streamAboveBytes = 64L * 1024 * 1024;
        if (subjectsPerChunk <= 0) subjectsPerChunk = 200;
    }
}
