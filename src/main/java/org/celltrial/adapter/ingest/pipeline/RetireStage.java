package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.fhir.ResourceRetirer;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.TermUseStore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Stage 7, retire removed rows: a re-delivered, complete dataset that no longer has a row retires what that row had
 * produced (see {@link ResourceRetirer}: entered-in-error, or deleted after a new version of its Provenance). A dataset
 * with any rejected record retires nothing, so a typo in a key column can never remove data; the files of a split
 * dataset (qsph.csv, qssl.csv) are one domain and retire only when all of them are complete; study-level datasets
 * (TS) retire nothing. Only a whole delivery retires: a reprocess or re-coding sees only some records.
 */
public final class RetireStage {

    private final MessageStore store;
    private final TermUseStore termUses;
    private final ResourceRetirer retirer;

    public RetireStage(MessageStore store, TermUseStore termUses, ResourceRetirer retirer) {
        this.store = store;
        this.termUses = termUses;
        this.retirer = retirer;
    }

    public void retireRemovedRows(List<MappableDataset> datasets, DeliveryRun run) {
        Map<String, List<MappableDataset>> byDomain = new LinkedHashMap<>();
        datasets.forEach(d -> byDomain.computeIfAbsent(d.mapping().domain(), k -> new ArrayList<>()).add(d));
        for (List<MappableDataset> parts : byDomain.values()) {
            MappableDataset d = parts.get(0);
            if (d.mapping().studyLevel()
                    || parts.stream().anyMatch(p -> !p.complete() || p.records().stream().anyMatch(RecordState::failed))) {
                continue;
            }
            Set<String> studies = new HashSet<>();
            Set<String> produced = new HashSet<>();
            for (MappableDataset p : parts) {
                for (RecordState r : p.records()) {
                    studies.add(r.get("STUDYID"));
                    produced.addAll(r.produced());
                }
            }
            for (String study : studies) {
                List<String> removed = new ArrayList<>(store.currentResources(study, d.mapping().domain()));
                removed.removeAll(produced);
                if (removed.isEmpty()) {
                    continue;
                }
                Map<ResourceRetirer.Outcome, Integer> counts = new TreeMap<>();
                List<String> retired = new ArrayList<>();
                for (String ref : removed) {
                    ResourceRetirer.Outcome o = retirer.retire(ref);
                    counts.merge(o, 1, Integer::sum);
                    if (o != ResourceRetirer.Outcome.REFUSED) {
                        retired.add(ref);
                    }
                }
                store.retired(retired);
                termUses.retired(retired);
                run.report().note(d.file() + ": " + removed.size() + " resource(s) of study " + study
                        + " no longer have a source row and were retired " + counts);
            }
        }
    }
}
