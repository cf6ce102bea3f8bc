package org.celltrial.adapter.api;

import org.celltrial.adapter.ingest.pipeline.DeliveryPipeline;
import org.celltrial.adapter.ingest.pipeline.IngestReport;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The message store over HTTP: deliveries with record counts per status, their records (e.g. the failed ones
 * with the reason as an OperationOutcome), and reprocessing of failed records after a mapping fix.
 */
@RestController
@RequestMapping("/api/deliveries")
public class DeliveryApiController {

    private final MessageStore store;
    private final DeliveryPipeline ingestor;

    public DeliveryApiController(MessageStore store, DeliveryPipeline ingestor) {
        this.store = store;
        this.ingestor = ingestor;
    }

    @GetMapping
    public List<MessageStore.DeliverySummary> deliveries() {
        return store.deliveries(null);
    }

    @GetMapping("/{id}")
    public ResponseEntity<MessageStore.DeliverySummary> delivery(@PathVariable String id) {
        return ResponseEntity.ok(store.deliveries(id).stream().findFirst().orElseThrow(DeliveryApiController::noSuchDelivery));
    }

    /** The report of the delivery's attempt (as in done/ or error/) and of its last reprocess. */
    @GetMapping("/{id}/report")
    public ResponseEntity<Map<String, Object>> report(@PathVariable String id) {
        return store.reports(id).map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", r.report());
            m.put("reprocessReport", r.reprocessReport());
            return ResponseEntity.ok(m);
        }).orElseThrow(DeliveryApiController::noSuchDelivery);
    }

    /** A readable 404 (ApiErrorHandler's one-line JSON) rather than an empty body; the id is not echoed. */
    private static ResponseStatusException noSuchDelivery() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No delivery with this id");
    }

    @GetMapping("/{id}/records")
    public ResponseEntity<List<Map<String, Object>>> records(@PathVariable String id,
                                                             @RequestParam(required = false) String status) {
        MessageStore.Status s = status == null ? null : status(status);
        if (store.deliveries(id).isEmpty()) {
            throw noSuchDelivery();
        }
        return ResponseEntity.ok(store.records(id, s).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("study", r.studyId());
            m.put("dataset", r.domain());
            m.put("file", r.file());
            m.put("row", r.row());
            m.put("contentHash", r.contentHash());
            m.put("status", r.status().name().toLowerCase(Locale.ROOT));
            if (r.reason() != null) {
                m.put("reason", parse(r.reason()));
            }
            if (r.warnings() != null) {
                m.put("warnings", parseList(r.warnings()));
            }
            return m;
        }).toList());
    }

    private static Object parseList(String json) {
        try {
            return JSON.readValue(json, List.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    /** A record status by name, any case; anything else is the client's mistake (400, naming the statuses). */
    private static MessageStore.Status status(String name) {
        for (MessageStore.Status s : MessageStore.Status.values()) {
            if (s.name().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown status '" + shown + "'; use one of " + java.util.Arrays.stream(
                MessageStore.Status.values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    private static Object parse(String json) {
        try {
            return JSON.readValue(json, Map.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @PostMapping("/{id}/reprocess")
    public ResponseEntity<Map<String, Object>> reprocess(@PathVariable String id) {
        if (store.deliveries(id).isEmpty()) {
            throw noSuchDelivery();
        }
        IngestReport report = ingestor.reprocess(id);
        return ResponseEntity.ok(Map.of("report", report.render(), "delivery", store.deliveries(id).get(0)));
    }
}
