package org.celltrial.adapter.api;

import org.celltrial.adapter.ingest.pipeline.DeliveryPipeline;
import org.celltrial.adapter.ingest.pipeline.IngestReport;
import org.celltrial.adapter.ingest.store.TermUseStore;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The terminology worklist: every source value stored as text because no translation knew it, with how many stored
 * resources carry it, in which studies, first and last delivery. After a curator adds the translation to
 * mappings/terminology/ and reloads (POST /api/mappings/reload), {@code POST /api/terminology/recode} re-codes the
 * stored resources that carry the value from their kept source records.
 */
@RestController
@RequestMapping("/api/terminology")
public class TerminologyApiController {

    private final TermUseStore terms;
    private final DeliveryPipeline ingestor;

    public TerminologyApiController(TermUseStore terms, DeliveryPipeline ingestor) {
        this.terms = terms;
        this.ingestor = ingestor;
    }

    @GetMapping("/unmapped")
    public List<TermUseStore.Unmapped> unmapped() {
        return terms.unmapped();
    }

    /** Re-codes the resources carrying {@code value} of {@code variable} (of one translation, if given). */
    @PostMapping("/recode")
    public ResponseEntity<Map<String, Object>> recode(@RequestParam String variable, @RequestParam String value,
                                                      @RequestParam(required = false) String translation) {
        if (variable.isBlank() || value.isBlank()) {
            return ResponseEntity.badRequest().body(Map.of("error", "give the variable and the value to re-code"));
        }
        int before = terms.resourcesCarrying(variable.trim().toUpperCase(java.util.Locale.ROOT), value, translation).size();
        IngestReport report = ingestor.recode(variable.trim().toUpperCase(java.util.Locale.ROOT), value, translation);
        int after = terms.resourcesCarrying(variable.trim().toUpperCase(java.util.Locale.ROOT), value, translation).size();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resourcesCarryingBefore", before);
        body.put("resourcesCarryingAfter", after);
        body.put("recordsMapped", report.recordsRead());
        body.put("recordsRejected", report.recordsRejected());
        body.put("resourcesWritten", report.resourcesWritten());
        body.put("report", report.render());
        return ResponseEntity.ok(body);
    }
}
