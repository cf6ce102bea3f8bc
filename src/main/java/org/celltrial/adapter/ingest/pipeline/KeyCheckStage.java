package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.mapping.SourceRecord;
import org.celltrial.adapter.mapping.Translation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Stage 2, check keys: rows that share their dataset's key (mapping key {@code key}: USUBJID in DM, USUBJID and --SEQ
 * elsewhere) would overwrite each other's resources, so all of them are rejected, naming the rows, and nothing is
 * silently lost. The files of a split dataset share one key space. Keys are compared as the translations compare
 * values (case and spacing do not make two keys different).
 */
public final class KeyCheckStage {

    public void rejectDuplicateKeys(List<MappableDataset> datasets, DeliveryRun run) {
        Map<String, Map<List<String>, List<RecordState>>> byDomain = new HashMap<>();
        Map<String, List<String>> keyOfDomain = new HashMap<>();
        for (MappableDataset d : datasets) {
            List<String> key = d.mapping().recordKey();
            if (key.isEmpty()) {
                continue;
            }
            keyOfDomain.putIfAbsent(d.mapping().domain(), key);
            Map<List<String>, List<RecordState>> seen = byDomain.computeIfAbsent(d.mapping().domain(), k -> new HashMap<>());
            for (RecordState r : d.records()) {
                if (r.failed()) {
                    continue;
                }
                List<String> values = new ArrayList<>(key.size());
                for (String c : key) {
                    values.add(Translation.key(r.get(c)));
                }
                seen.computeIfAbsent(values, k -> new ArrayList<>(1)).add(r);
            }
        }
        byDomain.forEach((domain, seen) -> seen.values().forEach(rows -> {
            if (rows.size() < 2) {
                return;
            }
            String where = rows.stream().map(SourceRecord::origin).collect(Collectors.joining(", "));
            String columns = String.join(", ", keyOfDomain.get(domain));
            for (RecordState r : rows) {
                run.fail(r, columns, "duplicate key: " + where + " share the key (" + columns + "); none of them was stored");
            }
        }));
    }
}
