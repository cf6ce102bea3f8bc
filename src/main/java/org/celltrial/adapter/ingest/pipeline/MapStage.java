package org.celltrial.adapter.ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.mapping.DataQualityIssue;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.mapping.MappingSession;
import org.celltrial.adapter.mapping.RecordMappingException;
import org.celltrial.adapter.mapping.SubjectDirectory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 4, map: each record that has not failed is mapped on its own, in the datasets' processing order, into the
 * delivery's resources (records of one identity, such as TS and DM for the ResearchStudy, build one resource together).
 * A record the mapping rejects fails with its column and reason; the others are {@code mapped} in the message store,
 * with the values the terminology did not translate as warnings. Every record learns which resources it produced.
 */
public final class MapStage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MappingEngine engine;
    private final SubjectDirectory directory;
    private final MessageStore store;

    /** @param directory subjects stored by earlier deliveries (a PR row may come without its DM row) */
    public MapStage(MappingEngine engine, SubjectDirectory directory, MessageStore store) {
        this.engine = engine;
        this.directory = directory;
        this.store = store;
    }

    public MappedResources map(List<MappableDataset> datasets, DeliveryRun run) {
        return map(datasets, run, r -> true);
    }

    /**
     * Maps as above; records not {@code owned} are mapped only for what they add to the study-level resources (the
     * streamed ingest's study session maps DM for the ResearchStudy, the subjects' sessions map it again): their
     * failures, statuses and warnings are left to the session that owns them.
     */
    MappedResources map(List<MappableDataset> datasets, DeliveryRun run, java.util.function.Predicate<RecordState> owned) {
        MappingSession session = engine.newSession(run.mappings(), directory);
        if (run.datasetRelations() != null) {
            // a streamed delivery's chunk of subjects: RELREC's dataset-level rows were mapped in the study session
            session.relateAs(run.datasetRelations());
        }
        List<String> mapped = new ArrayList<>();
        Map<String, String> warnings = new HashMap<>();
        int sinceCheck = 0;
        for (MappableDataset d : datasets) {
            for (RecordState record : d.records()) {
                Abandonment.checkCurrent(); // a delivery past its time budget stops here (no-op outside an attempt)
                boolean own = owned.test(record);
                if (own && ++sinceCheck == ReadStage.CHECK_EVERY) {
                    run.progress().recordsMapped(sinceCheck);
                    run.progress().maybeLog();
                    sinceCheck = 0;
                }
                if (record.failed()) {
                    continue;
                }
                try {
                    List<DataQualityIssue> issues = session.map(d.mapping(), record);
                    record.advance(Status.MAPPED);
                    if (!own) {
                        continue;
                    }
                    mapped.add(record.id());
                    if (!issues.isEmpty()) {
                        record.warnings(issues);
                        warnings.put(record.id(), json(issues));
                    }
                } catch (RecordMappingException ex) {
                    if (own) {
                        run.fail(record, ex.column(), ex.getMessage());
                    }
                }
            }
        }
        run.progress().recordsMapped(sinceCheck);
        if (run.datasetRelations() == null && !session.datasetRelations().isEmpty()) {
            run.datasetRelations(session.datasetRelations());
        }
        store.status(mapped, Status.MAPPED, null, null);
        store.warnings(warnings); // in the store now; in the report only for the records that end up stored
        MappedResources out = session.result();
        for (MappedResource r : out.all()) {
            String ref = ref(r);
            r.sources().forEach(s -> ((RecordState) s).produced(ref));
        }
        return out;
    }

    static String ref(MappedResource r) {
        return r.resource().fhirType() + "/" + r.resource().getIdPart();
    }

    private static String json(List<DataQualityIssue> issues) {
        try {
            return JSON.writeValueAsString(issues);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
