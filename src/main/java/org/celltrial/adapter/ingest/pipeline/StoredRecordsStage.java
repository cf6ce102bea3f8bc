package org.celltrial.adapter.ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.MappingSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stage 1 of a reprocess or a re-coding, instead of reading files: records kept in the message store become the
 * datasets to map again, each record with its stored id, content hash and values, grouped by file in the mappings'
 * processing order. A record whose domain no mapping covers any more, or whose stored values cannot be read, is
 * reported and left as it is. These datasets are never complete: they are the records asked for, not the file.
 */
public final class StoredRecordsStage {

    private static final ObjectMapper JSON = new ObjectMapper();

    public List<MappableDataset> datasets(Collection<StoredRecord> stored, DeliveryRun run) {
        MappingSet mappings = run.mappings();
        Map<String, List<RecordState>> byFile = new TreeMap<>();
        Map<String, DomainMapping> mappingOfFile = new HashMap<>();
        for (StoredRecord s : stored) {
            DomainMapping mapping = mappings.forDomain(s.domain()).orElse(null);
            Map<String, String> values = parseRaw(s.rawValues());
            if (mapping == null || values == null) {
                run.report().rejectRecord(s.file(), s.row(), null, mapping == null ? "no mapping for domain " + s.domain()
                        : "the stored record could not be read; deliver the file again", s.rawValues());
                continue;
            }
            byFile.computeIfAbsent(s.file(), k -> new ArrayList<>())
                    .add(new RecordState(s.file(), s.row(), values, s.id(), s.domain(), s.rawValues(), s.contentHash()));
            mappingOfFile.put(s.file(), mapping);
        }
        List<MappableDataset> datasets = new ArrayList<>();
        byFile.forEach((file, records) -> {
            datasets.add(new MappableDataset(mappingOfFile.get(file), file, records, false));
            run.report().dataset(file, mappingOfFile.get(file).domain(), records.size());
        });
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(a.mapping(), b.mapping()));
        return datasets;
    }

    static Map<String, String> parseRaw(String raw) {
        if (raw == null) {
            return null;
        }
        try {
            return JSON.readValue(raw, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
