package org.celltrial.adapter.ingest.source;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code celltrial.sources}: an id (used in delivery names and {@code /api/sources/{id}}), a type
 * ({@code redcap}, {@code jdbc}, {@code sftp}; the inbox is always there), how often it is pulled (and how long after
 * start the first time), the mapping set its
 * datasets are mapped by ({@code mappings/<set>/}, {@code default} for the SDTM mappings) and its connection settings.
 * Secrets are never values here: {@code token-env}/{@code token-file}, {@code password-env}/{@code password-file} name
 * where they are read from ({@link Secrets}).
 */
public record SourceDefinition(String id, String type, Duration schedule, Duration initialDelay, String mappingSet,
                               Boolean enabled, Map<String, String> connection) {

    public SourceDefinition {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("celltrial.sources: id '" + id
                    + "' must be lower-case letters, digits and '-' (it names deliveries and URLs)");
        }
        type = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (schedule == null) schedule = Duration.ofMinutes(5);
        if (initialDelay == null) initialDelay = schedule.compareTo(Duration.ofSeconds(10)) < 0 ? schedule : Duration.ofSeconds(10);
        if (mappingSet == null || mappingSet.isBlank()) mappingSet = "default";
        if (enabled == null) enabled = true;
        connection = connection == null ? Map.of() : Map.copyOf(connection);
    }

    /** A connection setting, or the default when it is not given. */
    public String setting(String key, String defaultValue) {
        String v = connection.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /** A required connection setting. */
    public String required(String key) {
        String v = setting(key, null);
        if (v == null) {
            throw new IllegalArgumentException("source " + id + ": connection." + key + " is required");
        }
        return v;
    }
}
