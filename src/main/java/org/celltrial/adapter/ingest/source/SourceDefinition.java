package org.celltrial.adapter.ingest.source;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code celltrial.sources}: an id (used in delivery names and {@code /api/sources/{id}}), a type
 * ({@code redcap}, {@code jdbc}, {@code sftp}; the inbox is always there), how often it is pulled (and how long after
 * start the first time) or, instead, on a {@code cron} schedule (Spring's six fields, seconds first, e.g.
 * {@code "0 30 2 * * *"}: 02:30 every day, in {@code cron-zone}, default the JVM's zone), the mapping set its
 * datasets are mapped by ({@code mappings/<set>/}, {@code default} for the SDTM mappings) and its connection settings.
 * Secrets are never values here: {@code token-env}/{@code token-file}, {@code password-env}/{@code password-file} name
 * where they are read from ({@link Secrets}).
 */
public record SourceDefinition(String id, String type, Duration schedule, Duration initialDelay, String mappingSet,
                               Boolean enabled, Map<String, String> connection, String cron, String cronZone) {

    public SourceDefinition {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("celltrial.sources: id '" + id
                    + "' must be lower-case letters, digits and '-' (it names deliveries and URLs)");
        }
        type = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (cron != null && cron.isBlank()) cron = null;
        if (cronZone != null && cronZone.isBlank()) cronZone = null;
        if (cron != null) {
            // checked at start-up, so that a typo stops the adapter instead of a source that never runs
            if (schedule != null || initialDelay != null) {
                throw new IllegalArgumentException("source " + id + ": give either schedule (and initial-delay) or cron,"
                        + " not both");
            }
            cron = cron.trim();
            try {
                org.springframework.scheduling.support.CronExpression.parse(cron);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("source " + id + ": cron '" + cron + "' is not a cron expression"
                        + " (six fields, seconds first: \"0 30 2 * * *\"): " + e.getMessage());
            }
            if (cronZone != null) {
                try {
                    java.time.ZoneId.of(cronZone.trim());
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("source " + id + ": cron-zone '" + cronZone + "' is not a time zone");
                }
                cronZone = cronZone.trim();
            }
        } else if (cronZone != null) {
            throw new IllegalArgumentException("source " + id + ": cron-zone needs cron");
        }
        if (schedule == null) schedule = Duration.ofMinutes(5);
        if (initialDelay == null) initialDelay = schedule.compareTo(Duration.ofSeconds(10)) < 0 ? schedule : Duration.ofSeconds(10);
        if (mappingSet == null || mappingSet.isBlank()) mappingSet = "default";
        if (enabled == null) enabled = true;
        connection = connection == null ? Map.of() : Map.copyOf(connection);
    }

    /** The time zone of the cron schedule. */
    public java.time.ZoneId zone() {
        return cronZone == null ? java.time.ZoneId.systemDefault() : java.time.ZoneId.of(cronZone);
    }

    /** How it is scheduled, for {@code /api/sources}: "PT15M", or "cron 0 30 2 * * * Europe/Berlin". */
    public String scheduleText() {
        return cron == null ? schedule.toString() : "cron " + cron + " " + zone();
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
