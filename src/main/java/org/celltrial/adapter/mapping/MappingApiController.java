package org.celltrial.adapter.mapping;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Reloads mappings/ without a restart, e.g. after fixing a rule or adding a code to a ConceptMap; then
 * failed records can be reprocessed (POST /api/deliveries/{id}/reprocess). A broken file is refused with
 * file, line and reason, and the running mappings stay in force.
 */
@RestController
@RequestMapping("/api/mappings")
public class MappingApiController {

    private final MappingConfig config;
    private final MappingEngine engine;

    public MappingApiController(MappingConfig config, MappingEngine engine) {
        this.config = config;
        this.engine = engine;
    }

    @PostMapping("/reload")
    public ResponseEntity<Map<String, Object>> reload() {
        try {
            MappingSet set = config.load();
            engine.replaceMappings(set);
            return ResponseEntity.ok(Map.of("version", set.version(), "domains", set.domains()));
        } catch (MappingDefinitionException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage(),
                    "version", engine.mappings().version()));
        }
    }
}
