package org.celltrial.adapter.cli;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.ingest.CsvDatasetReader;
import org.celltrial.adapter.ingest.DeliveryFile;
import org.celltrial.adapter.ingest.SdtmDataset;
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
        List<SdtmDataset> datasets = new ArrayList<>();
        try (Stream<Path> files = Files.list(delivery)) {
            for (Path f : files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                String domain = name.substring(0, name.length() - 4).toUpperCase(Locale.ROOT);
                SdtmDataset ds;
                try {
                    ds = new CsvDatasetReader().read(domain, new DeliveryFile(name, Files.readAllBytes(f)));
                } catch (CsvDatasetReader.UnreadableFileException e) {
                    rejected.add(name + ": " + e.getMessage());
                    continue;
                }
                ds.problems().forEach(p -> rejected.add(name + " row " + p.row() + ": " + p.message()));
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
            }
        }
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(mappings.forDomain(a.domain()).orElseThrow(),
                mappings.forDomain(b.domain()).orElseThrow()));
        MappingSession session = new MappingEngine(mappings, "Z").newSession(SubjectDirectory.NONE);
        int records = 0;
        for (SdtmDataset ds : datasets) {
            DomainMapping m = mappings.forDomain(ds.domain()).orElseThrow();
            for (SourceRecord r : ds.records()) {
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
