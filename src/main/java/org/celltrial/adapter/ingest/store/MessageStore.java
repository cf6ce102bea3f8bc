package org.celltrial.adapter.ingest.store;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The persisted status of every source record (received → mapped → validated → stored, or failed with its
 * reason) with its origin (delivery, dataset, file, row, content hash), and the state of every resource the
 * pipeline wrote (its source hash, so unchanged records are not rewritten, and whether it is current or
 * retired). Plain JDBC tables beside HAPI's, in the same database (H2 or PostgreSQL).
 */
public class MessageStore {

    public enum Status { RECEIVED, MAPPED, VALIDATED, STORED, FAILED }

    /**
     * How a delivery (or an attempt at it) ended, as {@code /api/deliveries} shows it: still {@code processing},
     * {@code done} (every record stored), {@code error} (something rejected) or {@code interrupted} (the attempt
     * stopped: the database was unreachable, the application stopped or crashed; the delivery is tried again).
     */
    public enum DeliveryOutcome {
        PROCESSING, DONE, ERROR, INTERRUPTED;

        /** The value in table ct_delivery. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A source record as persisted: enough to report it and to map it again on reprocess. */
    public record StoredRecord(String id, String deliveryId, String studyId, String domain, String file, int row,
                               String contentHash, Status status, String reason, String rawValues, String warnings) {

        public StoredRecord(String id, String deliveryId, String studyId, String domain, String file, int row,
                            String contentHash, Status status, String reason, String rawValues) {
            this(id, deliveryId, studyId, domain, file, row, contentHash, status, reason, rawValues, null);
        }
    }

    /**
     * A delivery as its attempt ended ({@code finishedAt}, {@code outcome}), its records' current statuses, and its
     * last reprocess of failed records, if any ({@code reprocessedAt}, {@code reprocessOutcome}), kept apart so that
     * a reprocess never rewrites when and how the delivery itself ended.
     */
    public record DeliverySummary(String id, String name, Instant receivedAt, Instant finishedAt, String outcome,
                                  String mappingVersion, Map<String, Integer> counts, Instant reprocessedAt,
                                  String reprocessOutcome) {
    }

    /** The report of the delivery's attempt and of its last reprocess (null if none). */
    public record DeliveryReports(String report, String reprocessReport) {
    }

    public record ResourceState(String ref, String studyId, String domain, String sourceHash, String deliveryId) {
    }

    private final JdbcTemplate jdbc;

    public MessageStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.kind = new DatabaseKind(jdbc);
    }

    public void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_delivery (id VARCHAR(64) PRIMARY KEY, name VARCHAR(512) NOT NULL,"
                + " received_at TIMESTAMP NOT NULL, finished_at TIMESTAMP, outcome VARCHAR(16) NOT NULL,"
                + " mapping_version VARCHAR(64), report TEXT)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_record (id VARCHAR(700) PRIMARY KEY, delivery_id VARCHAR(64) NOT NULL,"
                + " study_id VARCHAR(200), domain VARCHAR(16) NOT NULL, file_name VARCHAR(512) NOT NULL, row_num INT NOT NULL,"
                + " content_hash VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL, reason TEXT, resources TEXT,"
                + " raw_values TEXT, updated_at TIMESTAMP NOT NULL)");
        // A record's status changes three times after it is inserted. With the status outside every index and room
        // left in each page, PostgreSQL makes those updates in place ("HOT": no new index entries, the old version
        // pruned on the page), instead of writing each new version into both indexes (docs/benchmarks.md).
        jdbc.execute("CREATE INDEX IF NOT EXISTS ct_record_delivery_id ON ct_record (delivery_id)");
        // data-quality warnings of a record (values kept as text without a code), JSON; added in wave 2
        jdbc.execute("ALTER TABLE ct_record ADD COLUMN IF NOT EXISTS warnings TEXT");
        jdbc.execute("ALTER TABLE ct_delivery ADD COLUMN IF NOT EXISTS reprocessed_at TIMESTAMP");
        jdbc.execute("ALTER TABLE ct_delivery ADD COLUMN IF NOT EXISTS reprocess_outcome VARCHAR(16)");
        jdbc.execute("ALTER TABLE ct_delivery ADD COLUMN IF NOT EXISTS reprocess_report TEXT");
        jdbc.execute("DROP INDEX IF EXISTS ct_record_delivery");
        // the subject a record belongs to (the mapping's subject id), set by the streamed ingest of a big delivery,
        // which reads a chunk of subjects' records back by it; NULL otherwise. Added for issue 15 (bounded memory).
        // Never updated after the insert, so the status updates stay in place (HOT) with this index too.
        jdbc.execute("ALTER TABLE ct_record ADD COLUMN IF NOT EXISTS subject_key VARCHAR(200)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS ct_record_delivery_subject ON ct_record (delivery_id, subject_key)");
        if (postgres() && !jdbc.queryForObject("SELECT COALESCE(array_to_string(reloptions, ','), '') FROM pg_class"
                + " WHERE oid = 'ct_record'::regclass", String.class).contains("fillfactor=50")) {
            // once: the lock it takes would make every later start wait behind a running VACUUM
            jdbc.execute("ALTER TABLE ct_record SET (fillfactor = 50)");
        }
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_resource (ref VARCHAR(200) PRIMARY KEY, study_id VARCHAR(200),"
                + " domain VARCHAR(16), source_hash VARCHAR(64) NOT NULL, delivery_id VARCHAR(64), current_state BOOLEAN NOT NULL,"
                + " updated_at TIMESTAMP NOT NULL)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS ct_resource_study ON ct_resource (study_id, domain)");
        // ODM forms are datasets named by their OID (FORM.VITALPARAMETER): wider than SDTM's 8 characters. Widening a
        // VARCHAR changes the catalog only (no table rewrite); done once, as its lock would wait behind a VACUUM.
        for (String table : List.of("ct_record", "ct_resource")) {
            Integer width = jdbc.queryForObject("SELECT MAX(character_maximum_length) FROM information_schema.columns"
                    + " WHERE UPPER(table_name) = ? AND UPPER(column_name) = 'DOMAIN'", Integer.class, table.toUpperCase(Locale.ROOT));
            if (width != null && width < 100) {
                jdbc.execute("ALTER TABLE " + table + " ALTER COLUMN domain SET DATA TYPE VARCHAR(100)");
            }
        }
    }

    /** At start: attempts a crash or stop left unfinished are marked so (their deliveries are re-queued). */
    public int markUnfinishedInterrupted() {
        return jdbc.update("UPDATE ct_delivery SET outcome = 'interrupted', finished_at = ? WHERE outcome = 'processing'",
                Timestamp.from(Instant.now()));
    }

    public void beginDelivery(String id, String name, String mappingVersion) {
        jdbc.update("INSERT INTO ct_delivery (id, name, received_at, outcome, mapping_version) VALUES (?,?,?,?,?)",
                id, name, Timestamp.from(Instant.now()), DeliveryOutcome.PROCESSING.code(), mappingVersion);
    }

    public void finishDelivery(String id, DeliveryOutcome outcome, String report) {
        jdbc.update("UPDATE ct_delivery SET finished_at = ?, outcome = ?, report = ? WHERE id = ?",
                Timestamp.from(Instant.now()), outcome.code(), report, id);
    }

    /** A reprocess of the delivery's failed records ended: recorded beside the delivery's own end, not over it. */
    public void finishReprocess(String id, DeliveryOutcome outcome, String report) {
        jdbc.update("UPDATE ct_delivery SET reprocessed_at = ?, reprocess_outcome = ?, reprocess_report = ? WHERE id = ?",
                Timestamp.from(Instant.now()), outcome.code(), report, id);
    }

    public java.util.Optional<DeliveryReports> reports(String id) {
        return jdbc.query("SELECT report, reprocess_report FROM ct_delivery WHERE id = ?",
                (rs, n) -> new DeliveryReports(rs.getString(1), rs.getString(2)), id).stream().findFirst();
    }

    public void received(List<StoredRecord> records) {
        received(records, null);
    }

    /**
     * Inserts records as received (or failed, with their reason), each with its subject key ({@code subjectKeys}
     * parallel to {@code records}; null: none, as the in-memory ingest leaves it).
     */
    public void received(List<StoredRecord> records, List<String> subjectKeys) {
        Timestamp now = Timestamp.from(Instant.now());
        java.util.IdentityHashMap<StoredRecord, String> keyOf = new java.util.IdentityHashMap<>();
        if (subjectKeys != null) {
            for (int i = 0; i < records.size(); i++) {
                keyOf.put(records.get(i), subjectKeys.get(i));
            }
        }
        jdbc.batchUpdate("INSERT INTO ct_record (id, delivery_id, study_id, domain, file_name, row_num, content_hash,"
                        + " status, reason, raw_values, updated_at, subject_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                records, 500, (ps, r) -> {
                    ps.setString(12, keyOf.get(r));
                    ps.setString(1, r.id());
                    ps.setString(2, r.deliveryId());
                    ps.setString(3, r.studyId());
                    ps.setString(4, r.domain());
                    ps.setString(5, r.file());
                    ps.setInt(6, r.row());
                    ps.setString(7, r.contentHash());
                    ps.setString(8, r.status().name());
                    ps.setString(9, r.reason());
                    ps.setString(10, r.rawValues());
                    ps.setTimestamp(11, now);
                });
    }

    /** Sets the status of records; {@code reasons} (record id → OperationOutcome JSON) only for FAILED. */
    public void status(Collection<String> recordIds, Status status, Map<String, String> reasons, Map<String, String> resources) {
        if (recordIds.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        List<String> ids = new ArrayList<>(recordIds);
        // one statement per chunk of records instead of one per record (a subject has ~30): the database's work
        // per statement, not per row, dominated (docs/benchmarks.md). By primary key; PostgreSQL plans each
        // statement with its values (plan_cache_mode in application.yaml), so it uses the index.
        if (reasons == null && resources == null) {
            for (List<String> chunk : chunks(ids)) {
                Object[] args = new Object[chunk.size() + 2];
                args[0] = status.name();
                args[1] = now;
                for (int i = 0; i < chunk.size(); i++) {
                    args[i + 2] = chunk.get(i);
                }
                jdbc.update("UPDATE ct_record SET status = ?, reason = NULL, updated_at = ? WHERE id IN ("
                        + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")", args);
            }
            return;
        }
        if (reasons == null && postgres()) {
            for (List<String> chunk : chunks(ids)) {
                String[] produced = chunk.stream().map(resources::get).toArray(String[]::new);
                jdbc.update(con -> {
                    java.sql.PreparedStatement ps = con.prepareStatement("UPDATE ct_record r SET status = ?, reason = NULL,"
                            + " resources = COALESCE(v.produced, r.resources), updated_at = ?"
                            + " FROM unnest(?::varchar[], ?::varchar[]) AS v(id, produced) WHERE r.id = v.id");
                    ps.setString(1, status.name());
                    ps.setTimestamp(2, now);
                    ps.setArray(3, con.createArrayOf("varchar", chunk.toArray()));
                    ps.setArray(4, con.createArrayOf("varchar", produced));
                    return ps;
                });
            }
            return;
        }
        jdbc.batchUpdate("UPDATE ct_record SET status = ?, reason = ?, resources = COALESCE(?, resources), updated_at = ? WHERE id = ?",
                ids, 500, (ps, id) -> {
                    ps.setString(1, status.name());
                    ps.setString(2, reasons == null ? null : reasons.get(id));
                    ps.setString(3, resources == null ? null : resources.get(id));
                    ps.setTimestamp(4, now);
                    ps.setString(5, id);
                });
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            chunks.add(ids.subList(from, Math.min(ids.size(), from + 500)));
        }
        return chunks;
    }

    public List<StoredRecord> records(String deliveryId, Status status) {
        String sql = "SELECT id, delivery_id, study_id, domain, file_name, row_num, content_hash, status, reason, raw_values,"
                + " warnings FROM ct_record WHERE delivery_id = ?" + (status == null ? "" : " AND status = ?") + " ORDER BY file_name, row_num";
        Object[] args = status == null ? new Object[]{deliveryId} : new Object[]{deliveryId, status.name()};
        return jdbc.query(sql, (rs, n) -> new StoredRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7), Status.valueOf(rs.getString(8)),
                rs.getString(9), rs.getString(10), rs.getString(11)), args);
    }

    private static final String RECORD_COLUMNS = "id, delivery_id, study_id, domain, file_name, row_num, content_hash,"
            + " status, reason, raw_values, warnings";

    private static StoredRecord storedRecord(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6), rs.getString(7), Status.valueOf(rs.getString(8)), rs.getString(9), rs.getString(10),
                rs.getString(11));
    }

    /**
     * The next subject keys of a delivery after {@code after} (null: from the first), in key order, at most
     * {@code limit}: how the streamed ingest walks a delivery's subjects a chunk at a time, by the index.
     */
    public List<String> subjectKeys(String deliveryId, String after, int limit) {
        return jdbc.queryForList("SELECT DISTINCT subject_key FROM ct_record WHERE delivery_id = ? AND subject_key > ?"
                + " ORDER BY subject_key LIMIT ?", String.class, deliveryId, after == null ? "" : after, limit);
    }

    /** How many subjects a delivery's records belong to. */
    public int subjectCount(String deliveryId) {
        return jdbc.queryForObject("SELECT COUNT(DISTINCT subject_key) FROM ct_record WHERE delivery_id = ?", Integer.class,
                deliveryId);
    }

    /** The records of a delivery, not failed, whose subject key is between {@code from} and {@code to} (inclusive). */
    public List<StoredRecord> recordsOfSubjects(String deliveryId, String from, String to) {
        return jdbc.query("SELECT " + RECORD_COLUMNS + " FROM ct_record WHERE delivery_id = ? AND subject_key >= ?"
                + " AND subject_key <= ? AND status <> 'FAILED'", (rs, n) -> storedRecord(rs), deliveryId, from, to);
    }

    /** The records of a delivery, not failed, of these domains or without a subject key. */
    public List<StoredRecord> recordsWithoutSubjectOr(String deliveryId, Collection<String> domains) {
        List<StoredRecord> out = new ArrayList<>(jdbc.query("SELECT " + RECORD_COLUMNS + " FROM ct_record WHERE delivery_id = ?"
                + " AND subject_key IS NULL AND status <> 'FAILED'", (rs, n) -> storedRecord(rs), deliveryId));
        for (String domain : domains) {
            out.addAll(jdbc.query("SELECT " + RECORD_COLUMNS + " FROM ct_record WHERE delivery_id = ? AND domain = ?"
                    + " AND subject_key IS NOT NULL AND status <> 'FAILED'", (rs, n) -> storedRecord(rs), deliveryId, domain));
        }
        return out;
    }

    /** Records by id (any status). */
    public List<StoredRecord> recordsById(Collection<String> ids) {
        List<StoredRecord> out = new ArrayList<>();
        for (List<String> chunk : chunks(new ArrayList<>(ids))) {
            out.addAll(jdbc.query("SELECT " + RECORD_COLUMNS + " FROM ct_record WHERE id IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")", (rs, n) -> storedRecord(rs),
                    chunk.toArray()));
        }
        return out;
    }

    /** The domains of a delivery with at least one failed record. */
    public java.util.Set<String> failedDomains(String deliveryId) {
        return new java.util.HashSet<>(jdbc.queryForList("SELECT DISTINCT domain FROM ct_record WHERE delivery_id = ?"
                + " AND status = 'FAILED'", String.class, deliveryId));
    }

    /** Rows per page of the queries that walk a whole delivery: bounded memory on PostgreSQL too, whose driver fetches all. */
    private static final int PAGE = 10_000;

    /**
     * Each resource ({@code Type/id}) a delivery's records produced, with the record's domain: a page at a time along
     * the primary key, so neither database holds the delivery at once.
     */
    public void forEachProduced(String deliveryId, java.util.function.BiConsumer<String, String> domainAndRef) {
        String after = "";
        while (true) {
            List<String[]> page = jdbc.query("SELECT id, domain, resources FROM ct_record WHERE delivery_id = ? AND id > ?"
                    + " ORDER BY id LIMIT " + PAGE, (rs, n) -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)},
                    deliveryId, after);
            for (String[] row : page) {
                if (row[2] != null) {
                    for (String r : row[2].split(",")) {
                        if (!r.isEmpty()) {
                            domainAndRef.accept(row[1], r);
                        }
                    }
                }
            }
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1)[0];
        }
    }

    /** Each resource currently stored from a study's dataset of one domain, a page at a time along the primary key. */
    public void forEachCurrentResource(String studyId, String domain, java.util.function.Consumer<String> ref) {
        String after = "";
        while (true) {
            List<String> page = jdbc.queryForList("SELECT ref FROM ct_resource WHERE ref > ? AND study_id = ? AND domain = ?"
                    + " AND current_state = TRUE ORDER BY ref LIMIT " + PAGE, String.class, after, studyId, domain);
            page.forEach(ref);
            if (page.size() < PAGE) {
                return;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** Sets the data-quality warnings of records (record id → JSON), e.g. values kept as text without a code. */
    public void warnings(Map<String, String> byId) {
        if (byId.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE ct_record SET warnings = ? WHERE id = ?", new ArrayList<>(byId.entrySet()), 500, (ps, e) -> {
            ps.setString(1, e.getValue());
            ps.setString(2, e.getKey());
        });
    }

    /** The stored records of a delivery that produced {@code ref} (their {@code resources} list names it). */
    public List<StoredRecord> storedRecordsOf(String deliveryId, String ref) {
        List<StoredRecord> out = new ArrayList<>();
        jdbc.query("SELECT id, delivery_id, study_id, domain, file_name, row_num, content_hash, status, reason, raw_values,"
                + " warnings, resources FROM ct_record WHERE delivery_id = ? AND status = 'STORED' AND resources LIKE ?", rs -> {
            if (java.util.Arrays.asList(rs.getString(12).split(",")).contains(ref)) {
                out.add(new StoredRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getString(7), Status.valueOf(rs.getString(8)), rs.getString(9), rs.getString(10),
                        rs.getString(11)));
            }
        }, deliveryId, "%" + ref + "%");
        return out;
    }

    /** The delivery whose records last wrote {@code ref}, if it is current. */
    public java.util.Optional<String> deliveryOf(String ref) {
        return jdbc.queryForList("SELECT delivery_id FROM ct_resource WHERE ref = ? AND current_state = TRUE", String.class, ref)
                .stream().findFirst();
    }

    public List<DeliverySummary> deliveries(String onlyId) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        String countSql = "SELECT delivery_id, status, COUNT(*) FROM ct_record" + (onlyId == null ? "" : " WHERE delivery_id = ?")
                + " GROUP BY delivery_id, status";
        jdbc.query(countSql, rs -> {
            counts.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2).toLowerCase(), rs.getInt(3));
        }, onlyId == null ? new Object[0] : new Object[]{onlyId});
        String sql = "SELECT id, name, received_at, finished_at, outcome, mapping_version, reprocessed_at, reprocess_outcome"
                + " FROM ct_delivery"
                + (onlyId == null ? "" : " WHERE id = ?") + " ORDER BY received_at DESC";
        return jdbc.query(sql, (rs, n) -> {
            Map<String, Integer> c = new LinkedHashMap<>();
            for (Status s : Status.values()) {
                c.put(s.name().toLowerCase(), counts.getOrDefault(rs.getString(1), Map.of()).getOrDefault(s.name().toLowerCase(), 0));
            }
            Timestamp finished = rs.getTimestamp(4);
            Timestamp reprocessed = rs.getTimestamp(7);
            return new DeliverySummary(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                    finished == null ? null : finished.toInstant(), rs.getString(5), rs.getString(6), c,
                    reprocessed == null ? null : reprocessed.toInstant(), rs.getString(8));
        }, onlyId == null ? new Object[0] : new Object[]{onlyId});
    }

    /**
     * Source hash last stored for each of the given resources of these studies (absent: never stored or retired).
     * One query per study rather than IN lists of refs: before PostgreSQL has statistics on a young table it plans IN
     * lists as sequential scans (~70 ms per 500 refs once the table holds some thousand rows).
     */
    public Map<String, String> currentHashes(Collection<String> studyIds, Collection<String> refs) {
        java.util.Set<String> wanted = new java.util.HashSet<>(refs);
        Map<String, String> result = new HashMap<>();
        for (String study : new java.util.TreeSet<>(studyIds)) {
            jdbc.query("SELECT ref, source_hash FROM ct_resource WHERE current_state = TRUE AND study_id = ?", rs -> {
                String ref = rs.getString(1);
                if (wanted.contains(ref)) {
                    result.put(ref, rs.getString(2));
                }
            }, study);
        }
        return result;
    }

    /** Source hash last stored for each of these resources that is current, by primary key in lists of 500. */
    public Map<String, String> currentHashes(Collection<String> refs) {
        Map<String, String> result = new HashMap<>();
        for (List<String> chunk : chunks(new ArrayList<>(refs))) {
            jdbc.query("SELECT ref, source_hash FROM ct_resource WHERE current_state = TRUE AND ref IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    rs -> {
                        result.put(rs.getString(1), rs.getString(2));
                    }, chunk.toArray());
        }
        return result;
    }

    /** Records the source hash of stored resources: one upsert per resource, no read first. */
    public void putResources(List<ResourceState> states) {
        if (states.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        String upsert = postgres()
                ? "INSERT INTO ct_resource (ref, study_id, domain, source_hash, delivery_id, current_state, updated_at)"
                        + " VALUES (?,?,?,?,?,TRUE,?) ON CONFLICT (ref) DO UPDATE SET study_id = EXCLUDED.study_id,"
                        + " domain = EXCLUDED.domain, source_hash = EXCLUDED.source_hash, delivery_id = EXCLUDED.delivery_id,"
                        + " current_state = TRUE, updated_at = EXCLUDED.updated_at"
                : "MERGE INTO ct_resource (ref, study_id, domain, source_hash, delivery_id, current_state, updated_at)"
                        + " KEY (ref) VALUES (?,?,?,?,?,TRUE,?)";
        jdbc.batchUpdate(upsert, states, 500, (ps, s) -> {
            ps.setString(1, s.ref());
            ps.setString(2, s.studyId());
            ps.setString(3, s.domain());
            ps.setString(4, s.sourceHash());
            ps.setString(5, s.deliveryId());
            ps.setTimestamp(6, now);
        });
    }

    private final DatabaseKind kind;

    private boolean postgres() {
        return kind.postgres();
    }

    /** Resources currently stored from a study's dataset of one domain. */
    public List<String> currentResources(String studyId, String domain) {
        return jdbc.queryForList("SELECT ref FROM ct_resource WHERE study_id = ? AND domain = ? AND current_state = TRUE",
                String.class, studyId, domain);
    }

    public void retired(Collection<String> refs) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.batchUpdate("UPDATE ct_resource SET current_state = FALSE, updated_at = ? WHERE ref = ?", new ArrayList<>(refs), 500,
                (ps, ref) -> {
                    ps.setTimestamp(1, now);
                    ps.setString(2, ref);
                });
    }

    /** Forgets deliveries (and their records) finished before {@code cutoff}; resource states are kept. */
    public int purgeFinishedBefore(Instant cutoff) {
        Timestamp t = Timestamp.from(cutoff);
        jdbc.update("DELETE FROM ct_record WHERE delivery_id IN (SELECT id FROM ct_delivery WHERE finished_at < ?)", t);
        return jdbc.update("DELETE FROM ct_delivery WHERE finished_at < ?", t);
    }
}
