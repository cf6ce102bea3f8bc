package org.celltrial.adapter.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the database holds, read with plain JDBC once the adapter has stopped (for H2 this opens the database file:
 * the first proof that it survived): rows per resource type in HAPI's tables, and the message store.
 */
final class StoreTables {

    private StoreTables() {
    }

    static Connection open(String url, String user, String password) throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Rows per resource type in HAPI's resource, version, tag, link and search-index tables. */
    static Map<String, Map<String, Long>> hapiRows(Connection c, List<String> types) throws SQLException {
        String in = types.stream().map(t -> "'" + t + "'").collect(Collectors.joining(","));
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("hfj_resource", "select res_type, count(*) from hfj_resource where res_deleted_at is null and res_type in (%s) group by res_type");
        queries.put("hfj_res_ver", "select res_type, count(*) from hfj_res_ver where res_type in (%s) group by res_type");
        queries.put("hfj_res_tag", "select res_type, count(*) from hfj_res_tag where res_type in (%s) group by res_type");
        for (String t : List.of("coords", "date", "number", "quantity", "quantity_nrml", "string", "token", "uri")) {
            queries.put("hfj_spidx_" + t, "select res_type, count(*) from hfj_spidx_" + t + " where res_type in (%s) group by res_type");
        }
        queries.put("hfj_res_link", "select source_resource_type, count(*) from hfj_res_link where source_resource_type in (%s)"
                + " group by source_resource_type");
        for (String t : List.of("hfj_res_param_present", "hfj_idx_cmb_tok_nu", "hfj_res_search_url")) {
            queries.put(t, "select r.res_type, count(*) from " + t + " x join hfj_resource r on r.res_id = x.res_id"
                    + " where r.res_type in (%s) group by r.res_type");
        }
        Map<String, Map<String, Long>> rows = new TreeMap<>();
        try (Statement s = c.createStatement()) {
            for (Map.Entry<String, String> q : queries.entrySet()) {
                Map<String, Long> byType = new TreeMap<>();
                try (ResultSet rs = s.executeQuery(String.format(q.getValue(), in))) {
                    while (rs.next()) {
                        byType.put(rs.getString(1), rs.getLong(2));
                    }
                }
                rows.put(q.getKey(), byType);
            }
        }
        return rows;
    }

    /** The message store's facts that must not depend on crashes. */
    record MessageStoreFacts(List<String> duplicateRecords, List<String> unfinishedAttempts, List<String> finalRecords,
                             List<String> resources, Map<String, Long> attemptsByOutcome) {
    }

    /**
     * Record rows that appear twice within one delivery attempt, attempts still "processing", the records of the last
     * finished attempt (file, row, status, content hash; sorted) and the resource index (ref, hash, current).
     */
    static MessageStoreFacts messageStore(Connection c) throws SQLException {
        List<String> dup = list(c, "select delivery_id, file_name, row_num, count(*) from ct_record"
                + " group by delivery_id, file_name, row_num having count(*) > 1");
        List<String> unfinished = list(c, "select id, name from ct_delivery where outcome = 'processing'");
        List<String> last = list(c, "select id from ct_delivery where outcome <> 'interrupted' and finished_at is not null"
                + " order by finished_at desc");
        List<String> finalRecords = last.isEmpty() ? List.of() : list(c, "select file_name, row_num, status, content_hash"
                + " from ct_record where delivery_id = '" + last.get(0) + "' order by file_name, row_num");
        List<String> resources = list(c, "select ref, source_hash, current_state from ct_resource order by ref");
        Map<String, Long> outcomes = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select outcome, count(*) from ct_delivery group by outcome")) {
            while (rs.next()) {
                outcomes.put(rs.getString(1), rs.getLong(2));
            }
        }
        return new MessageStoreFacts(dup, unfinished, finalRecords, resources, outcomes);
    }

    private static List<String> list(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    // a boolean as Java writes it: H2 gives "TRUE" as text, PostgreSQL "t"
                    Object value = rs.getObject(i);
                    b.append(i > 1 ? " | " : "").append(value instanceof Boolean ? value.toString() : rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
