package org.celltrial.adapter.ingest.source.redcap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.ingest.read.odm.OdmFlattener;
import org.celltrial.adapter.ingest.read.odm.OdmRow;
import org.celltrial.adapter.ingest.source.MirrorRows;
import org.celltrial.adapter.ingest.source.MirrorSource;
import org.celltrial.adapter.ingest.source.Secrets;
import org.celltrial.adapter.ingest.source.SourceContext;
import org.celltrial.adapter.ingest.source.SourceDefinition;
import org.celltrial.adapter.ingest.source.SourceStateStore;

import org.springframework.boot.convert.DurationStyle;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A REDCap project, pulled through its API into the source's mirror and delivered as one CSV dataset per instrument
 * (the ODM reader's rows: see {@link OdmFlattener}). One pull:
 * <ol>
 *   <li>{@code content=metadata}: the data dictionary; its first field is the record id field;</li>
 *   <li>{@code content=record, format=json, fields[0]=<record id field>}: all record ids. The {@code Date} header of this
 *       answer is the <b>new watermark</b>: REDCap's own clock, read before any record is fetched, so a record saved
 *       while we fetch is listed again next time;</li>
 *   <li>the same with {@code dateRangeBegin} = the stored watermark minus {@code overlap}, written in the server's
 *       time zone ({@code server-timezone}; REDCap compares it with its local times): the records created or changed
 *       since. The first pull takes all;</li>
 *   <li><b>deleted records</b> by full-id reconciliation: a mirror record missing from the id list of step 2 is
 *       removed, so the next delivery no longer has its rows and what they produced is retired. (REDCap's
 *       {@code content=log} would need the project's logging right and parsing free-text log lines; the id list
 *       costs one small request and needs only the export right.);</li>
 *   <li>{@code content=record, format=odm, type=flat, records[]=...} in batches of {@code batch-size} ids: each
 *       record's rows replace its mirror entry. An entry whose rows did not change (the overlap lists records again)
 *       changes nothing, so an idle project makes no deliveries.</li>
 * </ol>
 */
public final class RedcapSource extends MirrorSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REDCAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final SourceDefinition definition;
    private final URI url;
    private final RedcapClient client;
    private final ZoneId serverZone;
    private final Duration overlap;
    private final int batchSize;

    public RedcapSource(SourceDefinition definition, Secrets secrets) {
        this.definition = definition;
        this.url = URI.create(definition.required("url"));
        String token = secrets.read(definition, "token");
        if (token == null) {
            throw new IllegalArgumentException("source " + definition.id() + ": connection.token-env or token-file is required");
        }
        this.serverZone = ZoneId.of(definition.setting("server-timezone", "UTC"));
        this.overlap = DurationStyle.detectAndParse(definition.setting("overlap", "5m"));
        this.batchSize = Integer.parseInt(definition.setting("batch-size", "100"));
        this.client = new RedcapClient(url, token,
                DurationStyle.detectAndParse(definition.setting("timeout", "60s")),
                Integer.parseInt(definition.setting("max-retries", "5")),
                DurationStyle.detectAndParse(definition.setting("retry-initial", "1s")),
                DurationStyle.detectAndParse(definition.setting("retry-max", "30s")));
        if (!url.getScheme().equals("https") && !"true".equals(definition.setting("allow-http", "false"))) {
            throw new IllegalArgumentException("source " + definition.id() + ": the REDCap url must be https"
                    + " (the token travels in every request); allow-http: true only for a test server");
        }
    }

    @Override
    public SourceDefinition definition() {
        return definition;
    }

    @Override
    public Map<String, Object> system() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", "REDCap API");
        s.put("url", url.toString());
        s.put("serverTimezone", serverZone.getId());
        return s;
    }

    @Override
    protected Fetched fetch(SourceContext context, String watermark, Runnable beforeChange) throws Exception {
        String id = definition.id();
        SourceStateStore store = context.store();
        String idField = recordIdField(context);

        RedcapClient.Answer all = client.call(idListing(idField, null), context.retries());
        Instant serverNow = all.serverTime() != null ? all.serverTime() : Instant.now();
        Set<String> allIds = ids(all.body(), idField);

        Map<String, Object> request = new LinkedHashMap<>();
        List<String> changed;
        if (watermark == null) {
            changed = new ArrayList<>(allIds);
            request.put("dateRangeBegin", null);
        } else {
            String begin = REDCAP_TIME.format(Instant.parse(watermark).minus(overlap).atZone(serverZone));
            request.put("dateRangeBegin", begin);
            changed = new ArrayList<>(ids(client.call(idListing(idField, begin), context.retries()).body(), idField));
            changed.retainAll(allIds); // listed as changed, then deleted: reconciled below
        }

        long deleted = 0;
        boolean anyChange = false;
        List<String> mirrored = store.keys(id);
        if (allIds.isEmpty() && !mirrored.isEmpty()) {
            // an empty listing is far likelier a lost right or a broken export than a project emptied on purpose
            throw new IOException("REDCap listed no records while " + mirrored.size() + " were pulled before: nothing"
                    + " is deleted; empty the project's mirror on purpose by removing the source's state");
        }
        for (String key : mirrored) {
            if (!allIds.contains(key)) {
                beforeChange.run();
                deleted += store.remove(id, key);
                anyChange = true;
            }
        }
        long fetched = 0;
        for (int from = 0; from < changed.size(); from += batchSize) {
            List<String> batch = changed.subList(from, Math.min(changed.size(), from + batchSize));
            Map<String, List<MirrorRows.Row>> rows = records(batch, context);
            for (String record : batch) {
                List<MirrorRows.Row> r = rows.get(record);
                String payload = r == null ? null : MirrorRows.write(r);
                String before = store.payload(id, record).orElse(null);
                if (payload == null ? before == null : payload.equals(before)) {
                    continue; // listed again by the overlap, unchanged
                }
                beforeChange.run();
                if (payload == null) {
                    deleted += store.remove(id, record); // deleted between the listing and the export
                } else {
                    store.put(id, record, payload);
                    fetched++;
                }
                anyChange = true;
            }
        }
        request.put("recordsListed", changed.size());
        request.put("batches", (changed.size() + batchSize - 1) / batchSize);
        request.put("serverTime", serverNow.toString());
        return new Fetched(serverNow.toString(), anyChange, fetched, deleted, request);
    }

    /** The project's record id field: the first field of its data dictionary. */
    private String recordIdField(SourceContext context) throws IOException, InterruptedException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("content", "metadata");
        f.put("format", "json");
        f.put("returnFormat", "json");
        try (InputStream in = client.call(f, context.retries()).body()) {
            JsonNode dict = JSON.readTree(in);
            if (!dict.isArray() || dict.isEmpty() || !dict.get(0).hasNonNull("field_name")) {
                throw new IOException("REDCap's data dictionary (content=metadata) has no fields");
            }
            return dict.get(0).get("field_name").asText();
        }
    }

    private static Map<String, Object> idListing(String idField, String dateRangeBegin) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("content", "record");
        f.put("action", "export");
        f.put("format", "json");
        f.put("type", "flat");
        f.put("fields", List.of(idField));
        f.put("rawOrLabel", "raw");
        if (dateRangeBegin != null) {
            f.put("dateRangeBegin", dateRangeBegin);
        }
        f.put("returnFormat", "json");
        return f;
    }

    private static Set<String> ids(InputStream body, String idField) throws IOException {
        try (body) {
            JsonNode rows = JSON.readTree(body);
            Set<String> ids = new LinkedHashSet<>();
            if (!rows.isArray()) {
                throw new IOException("REDCap's record listing is not a JSON array");
            }
            rows.forEach(r -> {
                if (r.hasNonNull(idField)) {
                    ids.add(r.get(idField).asText());
                }
            });
            return ids;
        }
    }

    /** The rows of some records, exported as ODM and flattened, by record id. */
    private Map<String, List<MirrorRows.Row>> records(List<String> ids, SourceContext context) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("content", "record");
        f.put("action", "export");
        f.put("format", "odm");
        f.put("type", "flat");
        f.put("records", ids);
        f.put("rawOrLabel", "raw");
        f.put("rawOrLabelHeaders", "raw");
        f.put("exportCheckboxLabel", "false");
        f.put("exportSurveyFields", "false");
        f.put("exportDataAccessGroups", "false");
        f.put("returnFormat", "json");
        Map<String, List<MirrorRows.Row>> byRecord = new LinkedHashMap<>();
        Set<String> asked = new HashSet<>(ids);
        try (InputStream in = client.call(f, context.retries()).body();
             OdmFlattener odm = new OdmFlattener("REDCap export", in)) {
            List<OdmRow> rows;
            while ((rows = odm.nextSubject()) != null) {
                for (OdmRow r : rows) {
                    String record = r.values().get("SUBJECTKEY");
                    if (asked.contains(record)) {
                        byRecord.computeIfAbsent(record, k -> new ArrayList<>()).add(new MirrorRows.Row(r.dataset(), r.values()));
                    }
                }
            }
        }
        return byRecord;
    }
}
