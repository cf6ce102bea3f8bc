package org.celltrial.adapter.ingest;

import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.mapping.MappingSession;
import org.celltrial.adapter.mapping.MappingSet;
import org.celltrial.adapter.mapping.RecordMappingException;
import org.celltrial.adapter.mapping.SourceRecord;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one delivery into stored FHIR resources: reads each dataset, maps every record (a bad record is
 * rejected with its file, row, column and reason while the others go on), then stores the study-level
 * resources and each subject's resources in one transaction per subject, so no subject is ever half stored.
 */
public class DeliveryIngestor {

    private static final Logger log = LoggerFactory.getLogger(DeliveryIngestor.class);

    private final MappingEngine engine;
    private final CsvDatasetReader csv = new CsvDatasetReader();
    private final FhirTransactionWriter writer;
    private final SubjectDirectory directory;
    private final StoredResourceMerger merger;

    public DeliveryIngestor(MappingEngine engine, FhirTransactionWriter writer, SubjectDirectory directory,
                            StoredResourceMerger merger) {
        this.engine = engine;
        this.writer = writer;
        this.directory = directory;
        this.merger = merger;
    }

    public IngestReport ingest(Delivery delivery) {
        IngestReport report = new IngestReport(delivery.name());
        MappingSet mappings = engine.mappings();
        List<Map.Entry<DomainMapping, SdtmDataset>> datasets = new ArrayList<>();
        Set<String> seenDomains = new java.util.HashSet<>();
        for (DeliveryFile file : delivery.files()) {
            String name = file.name();
            if (!name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                report.note(name + ": not a .csv dataset, ignored");
                continue;
            }
            String domain = name.substring(0, name.length() - 4).toUpperCase(Locale.ROOT);
            DomainMapping mapping = mappings.forDomain(domain).orElse(null);
            if (mapping == null) {
                report.rejectFile(name, null, "unknown domain file: no mapping for domain '" + domain
                        + "' in mappings/ (mapped domains: " + String.join(", ", mappings.domains()) + ")", 0);
                continue;
            }
            if (!seenDomains.add(domain)) {
                report.rejectFile(name, null, "a second file for domain " + domain + " in the same delivery", 0);
                continue;
            }
            SdtmDataset dataset;
            try {
                dataset = csv.read(domain, file);
            } catch (CsvDatasetReader.UnreadableFileException e) {
                report.rejectFile(name, null, e.getMessage(), 0);
                continue;
            }
            int rows = dataset.records().size() + dataset.problems().size();
            report.dataset(name, domain, rows);
            List<String> missing = mapping.missingColumns(dataset.columns());
            if (!missing.isEmpty()) {
                report.rejectFile(name, String.join(", ", missing), "required column" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " missing from the header row; none of the file's "
                        + rows + " records were loaded", rows);
                continue;
            }
            for (SdtmDataset.RowProblem p : dataset.problems()) {
                report.rejectRecord(name, p.row(), null, p.message(), p.raw());
            }
            datasets.add(Map.entry(mapping, dataset));
        }
        if (delivery.files().stream().noneMatch(f -> f.name().toLowerCase(Locale.ROOT).endsWith(".csv"))) {
            report.rejectFile(delivery.name(), null, "no SDTM datasets (*.csv) found in the delivery"
                    + " (expected files like dm.csv, pr.csv, ex.csv, ae.csv, in a folder or a .zip)", 0);
        }
        datasets.sort(Map.Entry.comparingByKey(MappingSet.processingOrder()));

        MappingSession session = engine.newSession(directory);
        for (Map.Entry<DomainMapping, SdtmDataset> e : datasets) {
            for (SourceRecord record : e.getValue().records()) {
                try {
                    session.map(e.getKey(), record);
                } catch (RecordMappingException ex) {
                    report.rejectRecord(record.file(), record.row(), ex.column(), ex.getMessage(), raw(e.getValue(), record));
                }
            }
        }
        store(session.result(), report, datasets);
        log.info("Delivery {}: {} records read, {} stored, {} rejected, {} resources written",
                delivery.name(), report.recordsRead(), report.recordsStored(), report.recordsRejected(),
                report.resourcesWritten());
        return report;
    }

    private void store(MappedResources resources, IngestReport report, List<Map.Entry<DomainMapping, SdtmDataset>> datasets) {
        Set<SourceRecord> failed = Collections.newSetFromMap(new IdentityHashMap<>());
        List<MappedResource> studyLevel = resources.studyLevel();
        for (MappedResource r : studyLevel) {
            merger.carryOverMissingElements(r.resource());
        }
        if (!studyLevel.isEmpty() && !writeGroup(studyLevel, "study-level resources", report, failed, datasets)) {
            // subjects reference the study: without it their transactions would fail one by one
            for (List<MappedResource> group : resources.bySubject().values()) {
                markFailed(group, "not stored because the study-level resources failed", report, failed, datasets);
            }
            return;
        }
        for (Map.Entry<String, List<MappedResource>> group : resources.bySubject().entrySet()) {
            writeGroup(group.getValue(), "subject " + group.getKey(), report, failed, datasets);
        }
    }

    private boolean writeGroup(List<MappedResource> group, String what, IngestReport report,
                               Set<SourceRecord> failed, List<Map.Entry<DomainMapping, SdtmDataset>> datasets) {
        List<Resource> list = new ArrayList<>(group.size());
        for (MappedResource r : group) {
            list.add(r.resource());
        }
        try {
            writer.write(list);
            report.resourcesWritten(list.size());
            return true;
        } catch (RuntimeException e) {
            if (isStorageUnavailable(e)) {
                // the route retries the whole delivery; transactions never leave a subject half stored
                throw new StorageUnavailableException("FHIR storage unavailable while storing " + what, e);
            }
            log.warn("Storing resources of delivery failed ({}); the records are listed in the report", e.getClass().getSimpleName());
            markFailed(group, "FHIR server rejected " + what + ": " + e.getMessage(), report, failed, datasets);
            return false;
        }
    }

    private void markFailed(List<MappedResource> group, String reason, IngestReport report, Set<SourceRecord> failed,
                            List<Map.Entry<DomainMapping, SdtmDataset>> datasets) {
        for (MappedResource r : group) {
            for (SourceRecord s : r.sources()) {
                if (failed.add(s)) {
                    report.rejectRecord(s.file(), s.row(), null, reason, rawOf(datasets, s));
                }
            }
        }
    }

    static boolean isStorageUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.net.ConnectException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof org.springframework.dao.TransientDataAccessException) {
                return true;
            }
        }
        return false;
    }

    private static String rawOf(List<Map.Entry<DomainMapping, SdtmDataset>> datasets, SourceRecord s) {
        for (Map.Entry<DomainMapping, SdtmDataset> e : datasets) {
            if (e.getValue().file().equals(s.file())) {
                return raw(e.getValue(), s);
            }
        }
        return null;
    }

    /** The record as COLUMN=value pairs, for the report beside the delivery (never for logs). */
    private static String raw(SdtmDataset dataset, SourceRecord record) {
        StringBuilder sb = new StringBuilder();
        for (String c : dataset.columns()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(c).append('=').append(record.get(c));
        }
        return sb.toString();
    }
}
