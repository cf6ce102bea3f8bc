package org.celltrial.adapter.ingest.source;

import org.celltrial.adapter.ingest.IngestProperties;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/sources}: every source with its settings (never a secret: only where it is read from), last run,
 * watermark, counts and last error; the inbox first. {@code POST /api/sources/{id}/run}: pulls now (after a pull of
 * the same source that is running) and answers the state after it.
 */
@RestController
@RequestMapping("/api/sources")
public class SourcesApiController {

    private final SourceRunner runner;
    private final SourceStateStore store;
    private final IngestProperties ingest;

    public SourcesApiController(SourceRunner runner, SourceStateStore store, IngestProperties ingest) {
        this.runner = runner;
        this.store = store;
        this.ingest = ingest;
    }

    @GetMapping
    public List<Map<String, Object>> sources() {
        List<Map<String, Object>> all = new ArrayList<>();
        Map<String, Object> inbox = new LinkedHashMap<>();
        inbox.put("id", "inbox");
        inbox.put("type", "inbox");
        inbox.put("enabled", ingest.enabled());
        inbox.put("schedule", ingest.pollIntervalMs() + "ms");
        inbox.put("system", Map.of("folder", ingest.inbox().toAbsolutePath().toString()));
        inbox.put("deliveries", "GET /api/deliveries");
        all.add(inbox);
        for (Source s : runner.sources().values()) {
            all.add(describe(s, store.state(s.definition().id())));
        }
        return all;
    }

    @PostMapping("/{id}/run")
    public Map<String, Object> run(@PathVariable String id) {
        Source s = runner.sources().get(id);
        if (s == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no source '" + id + "'; GET /api/sources lists them");
        }
        return describe(s, runner.run(id));
    }

    private static Map<String, Object> describe(Source s, SourceStateStore.State st) {
        SourceDefinition d = s.definition();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("type", d.type());
        m.put("enabled", d.enabled());
        m.put("schedule", d.scheduleText());
        m.put("mappingSet", d.mappingSet());
        m.put("system", s.system());
        m.put("watermark", st.watermark());
        m.put("deliveryPending", st.pending());
        m.put("lastRunStart", st.lastRunStart() == null ? null : st.lastRunStart().toString());
        m.put("lastRunEnd", st.lastRunEnd() == null ? null : st.lastRunEnd().toString());
        m.put("lastOutcome", st.lastOutcome());
        m.put("lastError", st.lastError());
        m.put("lastDelivery", st.lastDelivery());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("runs", st.runs());
        counts.put("deliveries", st.deliveries());
        counts.put("recordsFetched", st.recordsFetched());
        counts.put("recordsDeleted", st.recordsDeleted());
        counts.put("retries", st.retries());
        m.put("counts", counts);
        return m;
    }
}
