package org.celltrial.adapter.ingest.source;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the adapter knows of each source, in the database (H2 or PostgreSQL, plain SQL both speak):
 * <ul>
 *   <li>{@code ct_source_state}: the watermark, whether a delivery is pending (the mirror changed but the delivery is
 *       not in the inbox yet), the last run (start, end, outcome, error), and counters;</li>
 *   <li>{@code ct_source_record}: the source's <b>mirror</b>, one entry per source record (a REDCap record with all its
 *       rows, a staging-table row) as JSON. Incremental pulls update it, and each delivery is made from all of it,
 *       because a delivered dataset is a snapshot: a row missing from it is retired.</li>
 * </ul>
 */
public class SourceStateStore {

    /** A source's state; times may be null before its first run. */
    public record State(String sourceId, String watermark, boolean pending, Instant lastRunStart, Instant lastRunEnd,
                        String lastOutcome, String lastError, long runs, long deliveries, long recordsFetched,
                        long recordsDeleted, long retries, String lastDelivery) {
    }

    private final JdbcTemplate jdbc;

    public SourceStateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_source_state (source_id VARCHAR(64) PRIMARY KEY,"
                + " watermark VARCHAR(200), pending BOOLEAN NOT NULL, last_run_start TIMESTAMP, last_run_end TIMESTAMP,"
                + " last_outcome VARCHAR(32), last_error VARCHAR(2000), runs BIGINT NOT NULL, deliveries BIGINT NOT NULL,"
                + " records_fetched BIGINT NOT NULL, records_deleted BIGINT NOT NULL, retries BIGINT NOT NULL,"
                + " last_delivery VARCHAR(512))");
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_source_record (source_id VARCHAR(64) NOT NULL,"
                + " record_key VARCHAR(700) NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (source_id, record_key))");
    }

    public State state(String sourceId) {
        List<State> s = jdbc.query("SELECT * FROM ct_source_state WHERE source_id = ?", (rs, i) -> new State(
                rs.getString("source_id"), rs.getString("watermark"), rs.getBoolean("pending"),
                instant(rs.getTimestamp("last_run_start")), instant(rs.getTimestamp("last_run_end")),
                rs.getString("last_outcome"), rs.getString("last_error"), rs.getLong("runs"), rs.getLong("deliveries"),
                rs.getLong("records_fetched"), rs.getLong("records_deleted"), rs.getLong("retries"),
                rs.getString("last_delivery")), sourceId);
        if (!s.isEmpty()) {
            return s.get(0);
        }
        jdbc.update("INSERT INTO ct_source_state (source_id, pending, runs, deliveries, records_fetched, records_deleted,"
                + " retries) VALUES (?, FALSE, 0, 0, 0, 0, 0)", sourceId);
        return state(sourceId);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public void runStarted(String sourceId) {
        state(sourceId);
        jdbc.update("UPDATE ct_source_state SET last_run_start = ?, last_outcome = 'running', runs = runs + 1"
                + " WHERE source_id = ?", Timestamp.from(Instant.now()), sourceId);
    }

    /** Before the mirror is changed: a crash from here on leaves a delivery owed, made at the next run. */
    public void markPending(String sourceId) {
        jdbc.update("UPDATE ct_source_state SET pending = TRUE WHERE source_id = ?", sourceId);
    }

    /** After the delivery is in the inbox: the new watermark, and no delivery owed. */
    public void delivered(String sourceId, String watermark, String deliveryName) {
        jdbc.update("UPDATE ct_source_state SET watermark = ?, pending = FALSE, deliveries = deliveries + 1,"
                + " last_delivery = ? WHERE source_id = ?", watermark, deliveryName, sourceId);
    }

    /** Nothing changed at the source: only the watermark moves. */
    public void advance(String sourceId, String watermark) {
        jdbc.update("UPDATE ct_source_state SET watermark = ? WHERE source_id = ?", watermark, sourceId);
    }

    public void counted(String sourceId, long fetched, long deleted, long retries) {
        jdbc.update("UPDATE ct_source_state SET records_fetched = records_fetched + ?, records_deleted = records_deleted + ?,"
                + " retries = retries + ? WHERE source_id = ?", fetched, deleted, retries, sourceId);
    }

    public void runEnded(String sourceId, String outcome, String error) {
        jdbc.update("UPDATE ct_source_state SET last_run_end = ?, last_outcome = ?, last_error = ? WHERE source_id = ?",
                Timestamp.from(Instant.now()), outcome, error == null ? null : truncate(error), sourceId);
    }

    private static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 1997) + "..." : s;
    }

    // ---- the mirror

    public void put(String sourceId, String recordKey, String payload) {
        jdbc.update("DELETE FROM ct_source_record WHERE source_id = ? AND record_key = ?", sourceId, recordKey);
        jdbc.update("INSERT INTO ct_source_record (source_id, record_key, payload) VALUES (?, ?, ?)", sourceId, recordKey, payload);
    }

    public int remove(String sourceId, String recordKey) {
        return jdbc.update("DELETE FROM ct_source_record WHERE source_id = ? AND record_key = ?", sourceId, recordKey);
    }

    public List<String> keys(String sourceId) {
        return new ArrayList<>(jdbc.queryForList("SELECT record_key FROM ct_source_record WHERE source_id = ?"
                + " ORDER BY record_key", String.class, sourceId));
    }

    public Optional<String> payload(String sourceId, String recordKey) {
        return jdbc.queryForList("SELECT payload FROM ct_source_record WHERE source_id = ? AND record_key = ?",
                String.class, sourceId, recordKey).stream().findFirst();
    }

    /** Every mirror entry of the source, in key order, streamed (not held as a whole). */
    public void forEachPayload(String sourceId, Consumer<String> each) {
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT payload FROM ct_source_record WHERE source_id = ? ORDER BY record_key");
            ps.setFetchSize(200);
            ps.setString(1, sourceId);
            return ps;
        }, rs -> {
            each.accept(rs.getString(1));
        });
    }
}
