package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.fhir.ResourceRetirer;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.TermUseStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stage 7, retire removed rows: a re-delivered, complete dataset that no longer has a row retires what that row had
 * produced (see {@link ResourceRetirer}: entered-in-error, or deleted after a new version of its Provenance). A dataset
 * with any rejected record retires nothing, so a typo in a key column can never remove data; the files of a split
 * dataset (qsph.csv, qssl.csv) are one domain and retire only when all of them are complete; study-level datasets
 * (TS) retire nothing. Only a whole delivery retires: a reprocess or re-coding sees only some records. What a delivery
 * retires is retired as one set, in the order of its references (see {@link ResourceRetirer#retireAll}); a resource
 * the server still may not delete stays current in the store and is tried again by the next delivery.
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

    /** The resources of one dataset's study that no longer have a source row. */
    private record Removed(String file, String study, List<String> refs) {
    }

    public void retireRemovedRows(List<MappableDataset> datasets, DeliveryRun run) {
        Map<String, List<MappableDataset>> byDomain = new LinkedHashMap<>();
        datasets.forEach(d -> byDomain.computeIfAbsent(d.mapping().domain(), k -> new ArrayList<>()).add(d));
        List<Removed> removedByDataset = new ArrayList<>();
        for (List<MappableDataset> parts : byDomain.values()) {
            MappableDataset d = parts.get(0);
            if (d.mapping().studyLevel()
                    || parts.stream().anyMatch(p -> !p.complete() || p.records().stream().anyMatch(RecordState::failed))) {
                continue;
            }
            Set<String> studies = new TreeSet<>();
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
                if (!removed.isEmpty()) {
                    removedByDataset.add(new Removed(d.file(), study, removed));
                }
            }
        }
        retire(removedByDataset, run);
    }

    /**
     * The streamed ingest's retirement, from the datasets' summaries and the store: which domains had a failed record
     * ({@code failedDomains}), and what the delivery's stored records produced, read from the store a page at a time
     * and kept as 128-bit hashes; the resources a study has of a retirable domain are then walked against them.
     */
    void retireRemovedRows(List<DatasetSummary> datasets, Set<String> failedDomains, DeliveryRun run) {
        Map<String, List<DatasetSummary>> byDomain = new LinkedHashMap<>();
        datasets.forEach(d -> byDomain.computeIfAbsent(d.mapping().domain(), k -> new ArrayList<>()).add(d));
        byDomain.values().removeIf(parts -> parts.get(0).mapping().studyLevel()
                || parts.stream().anyMatch(p -> !p.complete()) || failedDomains.contains(parts.get(0).mapping().domain()));
        if (byDomain.isEmpty()) {
            return;
        }
        Map<String, KeyHashes> produced = new HashMap<>();
        byDomain.keySet().forEach(domain -> produced.put(domain, new KeyHashes()));
        store.forEachProduced(run.deliveryId(), (domain, ref) -> {
            KeyHashes of = produced.get(domain);
            if (of != null) {
                of.add(ref);
            }
        });
        List<Removed> removedByDataset = new ArrayList<>();
        byDomain.forEach((domain, parts) -> {
            Set<String> studies = new TreeSet<>();
            parts.forEach(p -> studies.addAll(p.studies()));
            for (String study : studies) {
                List<String> removed = new ArrayList<>();
                store.forEachCurrentResource(study, domain, ref -> {
                    if (!produced.get(domain).contains(ref)) {
                        removed.add(ref);
                    }
                });
                if (!removed.isEmpty()) {
                    removedByDataset.add(new Removed(parts.get(0).file(), study, removed));
                }
            }
        });
        retire(removedByDataset, run);
    }

    private void retire(List<Removed> removedByDataset, DeliveryRun run) {
        if (removedByDataset.isEmpty()) {
            return;
        }
        // all at once, across datasets: a subject's AdverseEvents (AE) and ResearchSubject (DM) must be gone before
        // its Patient (DM, processed first) can be deleted; the retirer orders them by their references
        List<String> all = new ArrayList<>();
        removedByDataset.forEach(r -> all.addAll(r.refs()));
        Map<String, ResourceRetirer.Retirement> outcomes = new HashMap<>();
        retirer.retireAll(all).forEach(r -> outcomes.put(r.ref(), r));
        List<String> retired = outcomes.values().stream()
                .filter(r -> r.outcome() != ResourceRetirer.Outcome.REFUSED).map(ResourceRetirer.Retirement::ref).toList();
        store.retired(retired);
        termUses.retired(retired);
        for (Removed r : removedByDataset) {
            Map<ResourceRetirer.Outcome, Integer> counts = new TreeMap<>();
            // why the kept ones were kept, by type and reason: "1 Patient not deleted: still referred to by ..."
            Map<String, Integer> refused = new TreeMap<>();
            for (String ref : r.refs()) {
                ResourceRetirer.Retirement o = outcomes.get(ref);
                counts.merge(o.outcome(), 1, Integer::sum);
                if (o.outcome() == ResourceRetirer.Outcome.REFUSED) {
                    refused.merge(ref.substring(0, ref.indexOf('/')) + " not deleted: " + o.reason(), 1, Integer::sum);
                }
            }
            StringBuilder note = new StringBuilder(r.file() + ": " + r.refs().size() + " resource(s) of study " + r.study()
                    + " no longer have a source row and were retired " + counts);
            refused.forEach((why, n) -> note.append("; ").append(n).append(" ").append(why));
            run.report().note(note.toString());
        }
    }
}
