package org.celltrial.adapter.cli;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.LoadedDataset;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;
import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.MappingEngine;
import org.celltrial.adapter.mapping.MappingLoader;
import org.celltrial.adapter.mapping.MappingSession;
import org.celltrial.adapter.mapping.MappingSet;
import org.celltrial.adapter.mapping.RecordMappingException;
import org.celltrial.adapter.mapping.SourceRecord;
import org.celltrial.adapter.mapping.SubjectDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Maps a delivery folder in process with the real mapping files and engine, in the order the ingest pipeline
 * uses (TS, then DM, then the subject domains): the same resources the adapter stores, for tests and benchmarks.
 */
public final class StudyMapper {

    /** The mapped resources, the number of records read and every rejection ("file row N COLUMN: reason"). */
    public record Result(MappedResources resources, int records, List<String> rejected) {
    }

    private StudyMapper() {
    }

    public static Result map(Path delivery, Path mappingsDir) throws IOException {
        MappingSet mappings = new MappingLoader(FhirContext.forR4Cached()).loadDirectory(mappingsDir);
        List<String> rejected = new ArrayList<>();
        List<LoadedDataset> datasets = new ArrayList<>();
        java.util.Map<LoadedDataset, String> fileOf = new java.util.IdentityHashMap<>();
        try (Stream<Path> files = Files.list(delivery)) {
            for (Path f : files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                String domain = name.substring(0, name.length() - 4).toUpperCase(Locale.ROOT);
                LoadedDataset ds;
                try (var in = Files.newInputStream(f)) {
                    ds = LoadedDataset.readOne(new CsvDatasetReader(), name, in);
                } catch (UnreadableDatasetException e) {
                    rejected.add(name + ": " + e.getMessage());
                    continue;
                }
                ds.problems().forEach(p -> rejected.add(name + " row " + p.number() + ": " + p.problem()));
                DomainMapping m = mappings.forDomain(domain).orElse(null);
                if (m == null) {
                    rejected.add(name + ": no mapping for domain " + domain);
                    continue;
                }
                List<String> missing = m.missingColumns(ds.columns());
                if (!missing.isEmpty()) {
                    rejected.add(name + ": missing columns " + missing);
                    continue;
                }
                datasets.add(ds);
                fileOf.put(ds, name);
            }
        }
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(mappings.forDomain(a.name()).orElseThrow(),
                mappings.forDomain(b.name()).orElseThrow()));
        MappingSession session = new MappingEngine(mappings, "Z").newSession(SubjectDirectory.NONE);
        int records = 0;
        for (LoadedDataset ds : datasets) {
            DomainMapping m = mappings.forDomain(ds.name()).orElseThrow();
            for (DatasetRow row : ds.rows()) {
                SourceRecord r = new SourceRecord(fileOf.get(ds), row.number(), row.values());
                records++;
                try {
                    session.map(m, r);
                } catch (RecordMappingException e) {
                    rejected.add(r.origin() + " " + e.column() + ": " + e.getMessage());
                }
            }
        }
        return new Result(session.result(), records, rejected);
    }
}
