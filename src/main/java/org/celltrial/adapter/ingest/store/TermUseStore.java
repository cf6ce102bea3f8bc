package org.celltrial.adapter.ingest.store;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The terminology worklist's data: which stored resources carry a source value our terminology did not translate
 * (kept as text, see mapping.DataQualityIssue), one row per resource, variable and value, replaced whenever the
 * resource is written and dropped when it is retired; and when each untranslated value was first seen. Written in the
 * transaction of the resources, so the worklist never disagrees with the server.
 */
public class TermUseStore {

    /** One stored resource carrying an untranslated value. {@code valueKey} is the value as matched (Translation.key). */
    public record TermUse(String ref, String studyId, String variable, String valueKey, String value, String translation,
                          String element, String deliveryId) {
    }

    /** One line of the worklist: an untranslated (translation, variable, value) over all stored resources. */
    public record Unmapped(String variable, String value, String translation, String valueKey, int resources,
                           List<String> studies, List<String> elements, Delivery firstDelivery, Delivery lastDelivery) {
    }

    public record Delivery(String id, String name, Instant at) {
    }

    private final JdbcTemplate jdbc;

    public TermUseStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.kind = new DatabaseKind(jdbc);
    }

    public void createSchema() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_term_use (ref VARCHAR(200) NOT NULL, variable VARCHAR(64) NOT NULL,"
                + " value_hash VARCHAR(64) NOT NULL, value_key TEXT NOT NULL, value_text TEXT NOT NULL,"
                + " translation VARCHAR(512) NOT NULL, element VARCHAR(512), study_id VARCHAR(200), delivery_id VARCHAR(64),"
                + " updated_at TIMESTAMP NOT NULL, PRIMARY KEY (ref, variable, value_hash))");
        jdbc.execute("CREATE INDEX IF NOT EXISTS ct_term_use_value ON ct_term_use (variable, value_hash)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS ct_term_seen (translation VARCHAR(512) NOT NULL, variable VARCHAR(64) NOT NULL,"
                + " value_hash VARCHAR(64) NOT NULL, first_delivery_id VARCHAR(64), first_seen TIMESTAMP NOT NULL,"
                + " PRIMARY KEY (translation, variable, value_hash))");
    }

    /** Replaces what {@code written} resources carry with {@code uses} (rows of those resources only). */
    public void replace(Collection<String> written, List<TermUse> uses) {
        if (written.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("DELETE FROM ct_term_use WHERE ref = ?", new ArrayList<>(written), 500, (ps, ref) -> ps.setString(1, ref));
        if (uses.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(Instant.now());
        Map<List<String>, TermUse> unique = new LinkedHashMap<>();
        for (TermUse u : uses) {
            unique.putIfAbsent(List.of(u.ref(), u.variable(), hash(u.valueKey())), u);
        }
        jdbc.batchUpdate("INSERT INTO ct_term_use (ref, variable, value_hash, value_key, value_text, translation, element,"
                + " study_id, delivery_id, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", new ArrayList<>(unique.values()), 500, (ps, u) -> {
                    ps.setString(1, u.ref());
                    ps.setString(2, u.variable());
                    ps.setString(3, hash(u.valueKey()));
                    ps.setString(4, u.valueKey());
                    ps.setString(5, u.value());
                    ps.setString(6, u.translation());
                    ps.setString(7, u.element());
                    ps.setString(8, u.studyId());
                    ps.setString(9, u.deliveryId());
                    ps.setTimestamp(10, now);
                });
        // first sighting of each value: insert when absent, never overwrite
        jdbc.batchUpdate(postgres()
                        ? "INSERT INTO ct_term_seen (translation, variable, value_hash, first_delivery_id, first_seen)"
                        + " VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING"
                        : "MERGE INTO ct_term_seen t USING (VALUES (CAST(? AS VARCHAR(512)), CAST(? AS VARCHAR(64)),"
                        + " CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS TIMESTAMP))) s(tr, va, vh, d, f)"
                        + " ON t.translation = s.tr AND t.variable = s.va AND t.value_hash = s.vh"
                        + " WHEN NOT MATCHED THEN INSERT VALUES (s.tr, s.va, s.vh, s.d, s.f)",
                new ArrayList<>(unique.values()), 500, (ps, u) -> {
                    ps.setString(1, u.translation());
                    ps.setString(2, u.variable());
                    ps.setString(3, hash(u.valueKey()));
                    ps.setString(4, u.deliveryId());
                    ps.setTimestamp(5, now);
                });
    }

    public void retired(Collection<String> refs) {
        jdbc.batchUpdate("DELETE FROM ct_term_use WHERE ref = ?", new ArrayList<>(refs), 500, (ps, ref) -> ps.setString(1, ref));
    }

    /** Every untranslated value still carried by a stored resource, most used first. */
    public List<Unmapped> unmapped() {
        Map<String, Delivery> deliveries = new LinkedHashMap<>();
        jdbc.query("SELECT id, name, received_at FROM ct_delivery", rs -> {
            deliveries.put(rs.getString(1), new Delivery(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
        });
        Map<List<String>, Delivery> first = new LinkedHashMap<>();
        jdbc.query("SELECT translation, variable, value_hash, first_delivery_id, first_seen FROM ct_term_seen", rs -> {
            Delivery d = deliveries.get(rs.getString(4));
            first.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)),
                    d != null ? d : new Delivery(rs.getString(4), null, rs.getTimestamp(5).toInstant()));
        });
        Map<List<String>, Acc> groups = new LinkedHashMap<>();
        jdbc.query("SELECT translation, variable, value_hash, value_key, value_text, element, study_id, delivery_id, updated_at"
                + " FROM ct_term_use", rs -> {
            List<String> key = List.of(rs.getString(1), rs.getString(2), rs.getString(3));
            Acc a = groups.computeIfAbsent(key, k -> new Acc());
            a.valueKey = rs.getString(4);
            a.value = a.value == null ? rs.getString(5) : a.value;
            a.elements.add(rs.getString(6));
            if (rs.getString(7) != null) {
                a.studies.add(rs.getString(7));
            }
            a.count++;
            Instant at = rs.getTimestamp(9).toInstant();
            if (a.lastAt == null || at.isAfter(a.lastAt)) {
                a.lastAt = at;
                a.lastDelivery = rs.getString(8);
            }
        });
        List<Unmapped> list = new ArrayList<>();
        groups.forEach((k, a) -> {
            Delivery last = deliveries.getOrDefault(a.lastDelivery, new Delivery(a.lastDelivery, null, a.lastAt));
            list.add(new Unmapped(k.get(1), a.value, k.get(0), a.valueKey, a.count, new ArrayList<>(a.studies),
                    new ArrayList<>(a.elements), first.getOrDefault(k, last), last));
        });
        list.sort((x, y) -> y.resources() != x.resources() ? Integer.compare(y.resources(), x.resources())
                : (x.variable() + x.valueKey()).compareTo(y.variable() + y.valueKey()));
        return list;
    }

    /** The stored resources that carry {@code value} of {@code variable} (as matched; of one translation, if given). */
    public List<String> resourcesCarrying(String variable, String value, String translation) {
        String valueKey = org.celltrial.adapter.mapping.Translation.key(value);
        return jdbc.queryForList("SELECT ref FROM ct_term_use WHERE variable = ? AND value_hash = ?"
                        + (translation == null ? "" : " AND translation = ?"), String.class,
                translation == null ? new Object[]{variable, hash(valueKey)} : new Object[]{variable, hash(valueKey), translation});
    }

    private static final class Acc {
        String value;
        String valueKey;
        int count;
        final TreeSet<String> studies = new TreeSet<>();
        final TreeSet<String> elements = new TreeSet<>();
        Instant lastAt;
        String lastDelivery;
    }

    static String hash(String valueKey) {
        return org.celltrial.adapter.mapping.FhirIds.sha256Hex(valueKey);
    }

    private final DatabaseKind kind;

    private boolean postgres() {
        return kind.postgres();
    }
}
