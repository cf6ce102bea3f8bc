package org.celltrial.adapter.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.celltrial.adapter.ingest.read.odm.RedcapReferenceExport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REDCap API in the test: answers {@code content=metadata} and {@code content=record} (format json or odm, type
 * flat, {@code records[]}, {@code fields[]}, {@code dateRangeBegin}) as REDCap's API documentation describes them, from
 * the real REDCap export in src/test/resources/redcap-odm-export/ (its SubjectData, unchanged). Every request is checked
 * field by field against the documented parameters: an unknown parameter, a value outside the documented ones, a
 * malformed array index or date, a GET, or a wrong content type is recorded in {@link #violations} and answered 400.
 * The server's clock is the JDK server's (its {@code Date} header, which it always sets itself); it has its own time
 * zone and a modification time per record, which {@code dateRangeBegin} (read in the server's zone, as REDCap does)
 * filters on.
 */
final class RedcapTestServer implements AutoCloseable {

    static final String TOKEN = "8C6F2A1B3D4E5F60718293A4B5C6D7E8";
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REDCAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern SUBJECT = Pattern.compile("<SubjectData SubjectKey=\"([^\"]+)\".*?</SubjectData>", Pattern.DOTALL);

    private static final Set<String> RECORD_PARAMS = Set.of("token", "content", "action", "format", "type", "records",
            "fields", "forms", "events", "rawOrLabel", "rawOrLabelHeaders", "exportCheckboxLabel", "exportSurveyFields",
            "exportDataAccessGroups", "filterLogic", "dateRangeBegin", "dateRangeEnd", "returnFormat", "csvDelimiter",
            "decimalCharacter", "exportBlankForGrayFormStatus");
    private static final Set<String> METADATA_PARAMS = Set.of("token", "content", "format", "fields", "forms", "returnFormat");
    private static final Set<String> ARRAYS = Set.of("records", "fields", "forms", "events");

    private final HttpServer server;
    private final String header;
    /** record id → its SubjectData, in export order; tests change and delete entries. */
    final Map<String, String> subjects = Collections.synchronizedMap(new LinkedHashMap<>());
    final Map<String, Instant> modified = Collections.synchronizedMap(new LinkedHashMap<>());
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    /** Every request's parameters (token removed), in order. */
    final List<Map<String, List<String>>> requests = Collections.synchronizedList(new ArrayList<>());
    /** Statuses to answer the next requests with instead of an answer (503, 429...). */
    final Deque<Integer> faults = new ArrayDeque<>();
    /** ODM exports answered so far, and how long each waits before answering (a slow REDCap, for the crash test). */
    final java.util.concurrent.atomic.AtomicInteger odmExports = new java.util.concurrent.atomic.AtomicInteger();
    volatile long odmDelayMillis;
    private final List<String[]> fields = new ArrayList<>(); // field name, form name

    RedcapTestServer() throws IOException {
        String xml = new String(RedcapReferenceExport.xmlBytes(), StandardCharsets.UTF_8);
        int first = xml.indexOf("<SubjectData");
        header = xml.substring(0, first);
        Matcher m = SUBJECT.matcher(xml);
        while (m.find()) {
            subjects.put(m.group(1), m.group());
            modified.put(m.group(1), Instant.now().minusSeconds(86_400));
        }
        Set<String> seen = new LinkedHashSet<>();
        Matcher forms = Pattern.compile("FormOID=\"Form\\.([^\"]+)\"|ItemOID=\"([^\"]+)\"").matcher(xml);
        String form = null;
        while (forms.find()) {
            if (forms.group(1) != null) {
                form = forms.group(1);
            } else if (seen.add(forms.group(2))) {
                fields.add(new String[]{forms.group(2), form});
            }
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    /** Changes a record at the source: new content, modified now. */
    void update(String record, String newSubjectData) {
        subjects.put(record, newSubjectData);
        modified.put(record, Instant.now());
    }

    void delete(String record) {
        subjects.remove(record);
        modified.remove(record);
    }

    private void violation(String v) {
        violations.add(v);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Integer fault;
            synchronized (faults) {
                fault = faults.poll();
            }
            if (fault != null) {
                if (fault == 429) {
                    ex.getResponseHeaders().set("Retry-After", "1");
                }
                send(ex, fault, "application/json", "{\"error\":\"injected " + fault + "\"}");
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                violation("method " + ex.getRequestMethod());
            }
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
                violation("content type " + type);
            }
            Map<String, List<String>> p = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!List.of(TOKEN).equals(p.get("token"))) {
                send(ex, 403, "application/json", "{\"error\":\"You do not have permissions to use the API\"}");
                return;
            }
            Map<String, List<String>> logged = new LinkedHashMap<>(p);
            logged.remove("token");
            requests.add(logged);
            String content = one(p, "content");
            if ("metadata".equals(content)) {
                check(p, METADATA_PARAMS);
                expect(p, "format", "json");
                List<Map<String, String>> dict = new ArrayList<>();
                for (String[] f : fields) {
                    Map<String, String> d = new LinkedHashMap<>();
                    d.put("field_name", f[0]);
                    d.put("form_name", f[1]);
                    d.put("section_header", "");
                    d.put("field_type", "text");
                    d.put("field_label", f[0]);
                    d.put("select_choices_or_calculations", "");
                    d.put("field_note", "");
                    d.put("text_validation_type_or_show_slider_number", "");
                    dict.add(d);
                }
                send(ex, 200, "application/json", JSON.writeValueAsString(dict));
            } else if ("record".equals(content)) {
                check(p, RECORD_PARAMS);
                record(ex, p);
            } else {
                violation("content " + content);
                send(ex, 400, "application/json", "{\"error\":\"The value of the parameter \\\"content\\\" is not valid\"}");
            }
        } catch (RuntimeException e) {
            violation("server error " + e);
            send(ex, 500, "text/plain", "error");
        }
    }

    private void record(HttpExchange ex, Map<String, List<String>> p) throws IOException {
        String format = one(p, "format");
        expect(p, "type", "flat");
        expectOptional(p, "action", "export");
        expectOptional(p, "rawOrLabel", "raw", "label");
        expectOptional(p, "rawOrLabelHeaders", "raw", "label");
        for (String b : List.of("exportCheckboxLabel", "exportSurveyFields", "exportDataAccessGroups")) {
            expectOptional(p, b, "true", "false");
        }
        expectOptional(p, "returnFormat", "json", "csv", "xml");
        Instant begin = null;
        if (p.containsKey("dateRangeBegin")) {
            String v = one(p, "dateRangeBegin");
            if (!v.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d")) {
                violation("dateRangeBegin '" + v + "' is not YYYY-MM-DD HH:MM:SS");
            } else {
                begin = LocalDateTime.parse(v, REDCAP_TIME).atZone(ZONE).toInstant();
            }
        }
        List<String> ids = new ArrayList<>();
        synchronized (subjects) {
            for (String id : subjects.keySet()) {
                boolean asked = !p.containsKey("records") || p.get("records").contains(id);
                if (asked && (begin == null || modified.get(id).isAfter(begin))) {
                    ids.add(id);
                }
            }
        }
        if ("json".equals(format)) {
            if (!List.of("record_id").equals(p.get("fields"))) {
                violation("json export of other fields than record_id: " + p.get("fields"));
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (String id : ids) {
                Matcher events = Pattern.compile("redcap:UniqueEventName=\"([^\"]+)\"").matcher(subjects.get(id));
                while (events.find()) {
                    Map<String, String> row = new LinkedHashMap<>();
                    row.put("record_id", id);
                    row.put("redcap_event_name", events.group(1));
                    row.put("redcap_repeat_instrument", "");
                    row.put("redcap_repeat_instance", "");
                    rows.add(row);
                }
            }
            send(ex, 200, "application/json", JSON.writeValueAsString(rows));
        } else if ("odm".equals(format)) {
            odmExports.incrementAndGet();
            if (odmDelayMillis > 0) {
                try {
                    Thread.sleep(odmDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            StringBuilder b = new StringBuilder(header);
            ids.forEach(id -> b.append(subjects.get(id)).append('\n'));
            b.append("  </ClinicalData>\n</ODM>");
            send(ex, 200, "text/xml; charset=utf-8", b.toString());
        } else {
            violation("format " + format);
            send(ex, 400, "application/json", "{\"error\":\"format\"}");
        }
    }

    private void check(Map<String, List<String>> p, Set<String> allowed) {
        for (String k : p.keySet()) {
            if (!allowed.contains(k)) {
                violation("unknown parameter " + k);
            }
        }
    }

    private String one(Map<String, List<String>> p, String name) {
        List<String> v = p.get(name);
        if (v == null || v.size() != 1) {
            violation(name + " must be given once: " + v);
            return null;
        }
        return v.get(0);
    }

    private void expect(Map<String, List<String>> p, String name, String... values) {
        String v = one(p, name);
        if (v != null && !List.of(values).contains(v)) {
            violation(name + "=" + v);
        }
    }

    private void expectOptional(Map<String, List<String>> p, String name, String... values) {
        if (p.containsKey(name)) {
            expect(p, name, values);
        }
    }

    /** Form fields; {@code a[0]}, {@code a[1]} become the list a (indexes must count from 0 without gaps). */
    private Map<String, List<String>> parse(String body) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            Matcher a = Pattern.compile("([A-Za-z]+)\\[(\\d+)]").matcher(name);
            if (a.matches()) {
                List<String> list = p.computeIfAbsent(a.group(1), k -> new ArrayList<>());
                if (!ARRAYS.contains(a.group(1)) || Integer.parseInt(a.group(2)) != list.size()) {
                    violation("array parameter " + name);
                }
                list.add(value);
            } else {
                if (p.containsKey(name)) {
                    violation("parameter " + name + " given twice");
                }
                p.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return p;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
