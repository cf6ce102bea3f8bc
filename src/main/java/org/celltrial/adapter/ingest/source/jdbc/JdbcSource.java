package org.celltrial.adapter.ingest.source.jdbc;

import org.celltrial.adapter.ingest.source.MirrorRows;
import org.celltrial.adapter.ingest.source.MirrorSource;
import org.celltrial.adapter.ingest.source.Secrets;
import org.celltrial.adapter.ingest.source.SourceContext;
import org.celltrial.adapter.ingest.source.SourceDefinition;
import org.celltrial.adapter.ingest.source.SourceStateStore;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A site's staging table (any JDBC driver on the classpath), polled by a watermark column ({@code updated_at}, or an
 * increasing {@code id}): each row is one record of the dataset {@code dataset} (e.g. {@code DM}), its columns the
 * dataset's variables (names in upper case), mapped by the source's mapping set like SDTM rows. One pull:
 * <ul>
 *   <li>the rows whose watermark is at or after the stored one ({@code >=}: rows committed later with the same value
 *       are not missed; rows seen again change nothing), into the mirror by their {@code key-columns};</li>
 *   <li>the watermark is the largest value read: the source's own values, never our clock;</li>
 *   <li>deleted rows by full-key reconciliation (one {@code SELECT} of the key columns); off with
 *       {@code reconcile-deletions: false}.</li>
 * </ul>
 * The connection is read-only and every transaction is rolled back: only {@code SELECT} statements are ever sent, and
 * the table and column names are checked as plain identifiers before they are put into SQL.
 */
public final class JdbcSource extends MirrorSource {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private final SourceDefinition definition;
    private final String url;
    private final String user;
    private final String password;
    private final String table;
    private final String dataset;
    private final String watermarkColumn;
    private final List<String> keyColumns;
    private final boolean reconcileDeletions;

    public JdbcSource(SourceDefinition definition, Secrets secrets) {
        this.definition = definition;
        this.url = definition.required("url");
        this.user = definition.setting("user", null);
        this.password = secrets.read(definition, "password");
        this.table = identifier(definition.required("table"));
        this.dataset = definition.required("dataset").toUpperCase(Locale.ROOT);
        this.watermarkColumn = identifier(definition.required("watermark-column"));
        this.keyColumns = Arrays.stream(definition.required("key-columns").split(",")).map(String::trim)
                .map(this::identifier).toList();
        this.reconcileDeletions = !"false".equals(definition.setting("reconcile-deletions", "true"));
    }

    private String identifier(String s) {
        if (!IDENTIFIER.matcher(s).matches()) {
            throw new IllegalArgumentException("source " + definition.id() + ": '" + s + "' is not a plain SQL identifier");
        }
        return s;
    }

    @Override
    public SourceDefinition definition() {
        return definition;
    }

    @Override
    public Map<String, Object> system() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", "JDBC staging table");
        s.put("url", url.replaceAll("(?i)(password|pwd)=[^&;]*", "$1=***"));
        s.put("table", table);
        s.put("dataset", dataset);
        s.put("watermarkColumn", watermarkColumn);
        s.put("keyColumns", keyColumns);
        return s;
    }

    @Override
    protected Fetched fetch(SourceContext context, String watermark, Runnable beforeChange) throws Exception {
        String id = definition.id();
        SourceStateStore store = context.store();
        try (Connection con = DriverManager.getConnection(url, user, password)) {
            con.setReadOnly(true);
            con.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
            try {
                long deleted = 0;
                boolean changed = false;
                if (reconcileDeletions) {
                    Set<String> keys = allKeys(con);
                    List<String> mirrored = store.keys(id);
                    if (keys.isEmpty() && !mirrored.isEmpty()) {
                        // an empty table is far likelier a failed staging load than every subject withdrawn
                        throw new java.sql.SQLException("table " + table + " is empty while " + mirrored.size()
                                + " rows were pulled before: nothing is deleted");
                    }
                    for (String key : mirrored) {
                        if (!keys.contains(key)) {
                            beforeChange.run();
                            deleted += store.remove(id, key);
                            changed = true;
                        }
                    }
                }
                String sql = "SELECT * FROM " + table + (watermark == null ? "" : " WHERE " + watermarkColumn + " >= ?")
                        + " ORDER BY " + watermarkColumn;
                String newWatermark = watermark;
                long fetched = 0;
                try (PreparedStatement ps = con.prepareStatement(sql)) {
                    ps.setFetchSize(500);
                    if (watermark != null) {
                        bindWatermark(con, ps, watermark);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, String> values = new LinkedHashMap<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                String v = rs.getString(i);
                                values.put(md.getColumnLabel(i).toUpperCase(Locale.ROOT), v == null ? "" : v.trim());
                            }
                            String wm = rs.getString(watermarkColumn);
                            if (wm != null) {
                                newWatermark = wm;
                            }
                            String key = key(values);
                            String payload = MirrorRows.write(List.of(new MirrorRows.Row(dataset, values)));
                            if (payload.equals(store.payload(id, key).orElse(null))) {
                                continue;
                            }
                            beforeChange.run();
                            store.put(id, key, payload);
                            fetched++;
                            changed = true;
                        }
                    }
                }
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("query", sql);
                request.put("from", watermark);
                return new Fetched(newWatermark, changed, fetched, deleted, request);
            } finally {
                con.rollback(); // nothing was written; ends the read transaction
            }
        }
    }

    private Set<String> allKeys(Connection con) throws java.sql.SQLException {
        Set<String> keys = new HashSet<>();
        try (PreparedStatement ps = con.prepareStatement("SELECT " + String.join(", ", keyColumns) + " FROM " + table)) {
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> v = new LinkedHashMap<>();
                    for (int i = 0; i < keyColumns.size(); i++) {
                        String s = rs.getString(i + 1);
                        v.put(keyColumns.get(i).toUpperCase(Locale.ROOT), s == null ? "" : s.trim());
                    }
                    keys.add(key(v));
                }
            }
        }
        return keys;
    }

    private String key(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        for (String k : keyColumns) {
            parts.add(values.getOrDefault(k.toUpperCase(Locale.ROOT), ""));
        }
        return String.join("\u001f", parts);
    }

    /** Binds the stored watermark as the column's own type (a timestamp compares as a timestamp, not as text). */
    private void bindWatermark(Connection con, PreparedStatement ps, String watermark) throws java.sql.SQLException {
        int type;
        try (PreparedStatement probe = con.prepareStatement("SELECT " + watermarkColumn + " FROM " + table + " WHERE 1 = 0");
             ResultSet rs = probe.executeQuery()) {
            type = rs.getMetaData().getColumnType(1);
        }
        switch (type) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE ->
                    ps.setTimestamp(1, Timestamp.valueOf(watermark.length() > 19 && watermark.charAt(10) == ' '
                            ? watermark.replaceFirst("([+-]\\d\\d(:\\d\\d)?)$", "") : watermark));
            case Types.DATE -> ps.setDate(1, java.sql.Date.valueOf(watermark));
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.NUMERIC, Types.DECIMAL ->
                    ps.setBigDecimal(1, new BigDecimal(watermark));
            default -> ps.setString(1, watermark);
        }
    }
}
