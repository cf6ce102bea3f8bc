package org.celltrial.adapter.ingest.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;
import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.FhirIds;
import org.celltrial.adapter.mapping.MappingSet;
import org.celltrial.adapter.mapping.MissingValues;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stage 1, read: every file of the delivery that one of the {@link DatasetReader}s reads (chosen by file name) is read
 * into its datasets, and each dataset is matched to its mapping. It decides:
 * <ul>
 *   <li>files no reader takes: a note, ignored;</li>
 *   <li>a {@code define.xml} ({@link DeliveryDefine}): read first; the report lists per dataset its label and the
 *       variables the define and the data disagree on; a value that does not fit the DataType the define declares for
 *       its variable rejects its record, naming the variable; the codelist decodes a mapping reads are added to the
 *       record as {@code <VARIABLE>.DECODE}. Without a define (or with one that cannot be read) none of this
 *       happens;</li>
 *   <li>unreadable files (not UTF-8, broken header, truncated): the whole file rejected, nothing of it loaded;</li>
 *   <li>a dataset that comes in more than one file (ae.csv and ae.xpt): all of them rejected, since which one is
 *       meant cannot be known;</li>
 *   <li>split datasets (qsph.csv, qssl.csv) are mapped as the domain their DOMAIN column names;</li>
 *   <li>a dataset no mapping covers: listed as not mapped with its row count;</li>
 *   <li>a header without a required column: the whole file rejected, its records failed;</li>
 *   <li>rows the format could not read (a CSV row with too many fields): rejected one by one.</li>
 * </ul>
 * Each record gets its {@link RecordState}: message-store id {@code <delivery>/<file>/<row>}, values as JSON and their
 * SHA-256. The datasets come back in the mappings' processing order (TS, DM, then the subject domains).
 *
 * <p>Memory: the datasets of a delivery are held whole until the delivery is stored (as before the stages). The
 * readers stream, so this stage is where a bounded-memory ingest would hand rows on in batches instead; see
 * {@link DeliveryPipeline}.
 */
public final class ReadStage {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rows between two checks of the time budget and the progress clock. */
    static final int CHECK_EVERY = 1024;

    private final List<DatasetReader> readers;

    /** The file a pulling source writes beside its datasets: source id, type, request, watermarks (no values). */
    public static final String SOURCE_DESCRIPTION = "source.json";

    /** @param readers one per format; a file is read by the first that {@link DatasetReader#reads(String) reads} it */
    public ReadStage(List<DatasetReader> readers) {
        this.readers = List.copyOf(readers);
    }

    /** One dataset as a file gave it. */
    private record ReadDataset(String file, String name, Set<String> columns, List<DatasetRow> rows) {
    }

    public List<MappableDataset> read(Delivery delivery, DeliveryRun run) {
        IngestReport report = run.report();
        List<ReadDataset> read = new ArrayList<>();
        boolean anyDatasetFile = false;
        // read before the datasets, which it describes; a broken one is reported and the datasets read without it
        DeliveryDefine define = DeliveryDefine.load(delivery.files(), report);
        for (DeliveryFile file : delivery.files()) {
            if (DeliveryDefine.isDefine(file.name())) {
                continue;
            }
            if (file.name().equals(SOURCE_DESCRIPTION)) {
                // written by a pulling source beside its datasets (ingest/source/DeliveryHandover): not a Dataset-JSON file
                report.note(file.name() + ": the source's description of this delivery, not a dataset");
                continue;
            }
            DatasetReader reader = readerFor(file);
            if (reader == null) {
                report.note(file.name() + ": not a dataset file (read here: " + formats() + "), ignored");
                continue;
            }
            anyDatasetFile = true;
            try {
                read.addAll(readFile(reader, file, run.progress()));
            } catch (UnreadableDatasetException e) {
                report.rejectFile(file.name(), null, e.getMessage(), 0);
            } catch (IOException e) {
                report.rejectFile(file.name(), null, file.name() + ": could not be read: " + e.getClass().getSimpleName(), 0);
            }
        }
        if (!anyDatasetFile) {
            report.rejectFile(delivery.name(), null, "no SDTM datasets found in the delivery (expected files like dm.csv,"
                    + " pr.csv, ex.csv, ae.csv or their .xpt, .json, .ndjson, in a folder or a .zip)", 0);
        }
        List<MappableDataset> datasets = new ArrayList<>();
        for (List<ReadDataset> sameName : oneFilePerDataset(read, report)) {
            MappableDataset d = mappable(sameName.get(0), run, define);
            if (d != null) {
                datasets.add(d);
            }
        }
        define.reportDatasetsNotDelivered(read.stream().map(ReadDataset::name).collect(Collectors.toSet()), report);
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(a.mapping(), b.mapping()));
        return datasets;
    }

    DatasetReader readerFor(String fileName) {
        for (DatasetReader r : readers) {
            if (r.reads(fileName)) {
                return r;
            }
        }
        return null;
    }

    /** The reader for the file: by its name, and, where a name is not enough (.xml), by its first bytes. */
    private DatasetReader readerFor(DeliveryFile file) {
        DatasetReader byName = readerFor(file.name());
        if (byName == null) {
            return null;
        }
        try (InputStream start = file.open()) {
            return byName.readsContent(file.name(), start) ? byName : null;
        } catch (IOException e) {
            return byName; // the reader meets the same failure when it opens the file, and reports it
        }
    }

    private String formats() {
        return readers.stream().map(DatasetReader::format).collect(Collectors.joining(", "));
    }

    /** All datasets of one file, rows and all; the time budget is checked between rows. */
    private static List<ReadDataset> readFile(DatasetReader reader, DeliveryFile file, Progress progress)
            throws UnreadableDatasetException, IOException {
        List<ReadDataset> datasets = new ArrayList<>(1);
        InputStream in = file.open();
        try (DatasetSource source = reader.open(file.name(), in)) {
            DatasetCursor cursor;
            while ((cursor = source.nextDataset()) != null) {
                try (DatasetCursor open = cursor) {
                    DatasetMetadata meta = open.metadata();
                    Set<String> columns = new LinkedHashSet<>();
                    meta.variables().forEach(v -> columns.add(v.name()));
                    List<DatasetRow> rows = new ArrayList<>();
                    DatasetRow row;
                    while ((row = open.next()) != null) {
                        rows.add(row);
                        if (rows.size() % CHECK_EVERY == 0) {
                            Abandonment.checkCurrent(); // a delivery past its time budget stops here
                            progress.rowsRead(CHECK_EVERY);
                            progress.maybeLog();
                        }
                    }
                    progress.rowsRead(rows.size() % CHECK_EVERY);
                    datasets.add(new ReadDataset(file.name(), meta.name().toUpperCase(Locale.ROOT), columns, rows));
                }
            }
        }
        if (datasets.size() > 1) {
            // a library of several datasets (SAS XPORT members): each record names its file and dataset, so that
            // ids and provenance stay unique per row
            datasets.replaceAll(d -> new ReadDataset(d.file() + ":" + d.name(), d.name(), d.columns(), d.rows()));
        }
        return datasets;
    }

    /** Datasets by name; a name given by more than one file is rejected in every one of them. */
    private static List<List<ReadDataset>> oneFilePerDataset(List<ReadDataset> read, IngestReport report) {
        Map<String, List<ReadDataset>> byName = new LinkedHashMap<>();
        read.forEach(d -> byName.computeIfAbsent(d.name(), k -> new ArrayList<>(1)).add(d));
        List<List<ReadDataset>> unique = new ArrayList<>();
        byName.forEach((name, files) -> {
            if (files.size() == 1) {
                unique.add(files);
                return;
            }
            String all = files.stream().map(ReadDataset::file).collect(Collectors.joining(", "));
            for (ReadDataset d : files) {
                report.rejectFile(d.file(), null, "dataset " + name + " comes in " + files.size() + " files of this delivery ("
                        + all + "); none of them was loaded: deliver each dataset in one file", 0);
            }
        });
        return unique;
    }

    /** The dataset matched to its mapping, its records given their state; null if no mapping covers it. */
    private static MappableDataset mappable(ReadDataset dataset, DeliveryRun run, DeliveryDefine define) {
        IngestReport report = run.report();
        String name = dataset.file();
        int rows = dataset.rows().size();
        // listed for every dataset the define describes, mapped or not
        DeliveryDefine.Dataset described = define.dataset(dataset.name(), name, dataset.columns(), report);
        // split datasets (qsph.csv, qssl.csv) name their domain in the DOMAIN column
        String domain = domainOf(dataset);
        DomainMapping mapping = run.mappings().forDataset(domain, dataset.columns()).orElse(null);
        if (mapping == null) {
            report.notMapped(name, domain, rows);
            return null;
        }
        report.dataset(name, domain, rows);
        List<RecordState> records = new ArrayList<>(rows);
        List<DatasetRow> problems = new ArrayList<>();
        List<RecordState> typeErrors = new ArrayList<>();
        List<String> typeErrorColumns = new ArrayList<>();
        for (DatasetRow row : dataset.rows()) {
            if (row.problem() != null) {
                problems.add(row);
                continue;
            }
            // the decodes travel in the stored record, so a reprocess or re-coding maps it as this delivery did
            Map<String, String> values = described.withDecodes(row.values(), mapping.decodedVariables());
            String raw = rawJson(dataset.columns(), described.decodeColumns(values), values);
            RecordState record = new RecordState(name, row.number(), values, run.deliveryId() + "/" + name + "/"
                    + row.number(), domain, raw, FhirIds.sha256Hex(raw));
            records.add(record);
            String badType = described.typeError(values);
            if (badType != null) {
                typeErrors.add(record);
                typeErrorColumns.add(badType);
            }
        }
        List<String> missing = mapping.missingColumns(dataset.columns());
        if (!missing.isEmpty()) {
            String reason = "required column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " missing from the header row";
            report.rejectFile(name, String.join(", ", missing), reason + "; none of the file's "
                    + rows + " records were loaded", records.size());
            records.forEach(r -> run.failWithFile(r, reason));
        }
        for (DatasetRow p : problems) {
            report.rejectRecord(name, p.number(), null, p.problem(), p.raw());
        }
        for (int i = 0; i < typeErrors.size(); i++) {
            // the value is not named: the report quotes the record, and reasons may reach logs
            String column = typeErrorColumns.get(i);
            run.fail(typeErrors.get(i), column, "the value does not fit the data type '" + described.dataType(column)
                    + "' that the Define-XML declares for " + column);
        }
        return new MappableDataset(mapping, name, records, missing.isEmpty() && problems.isEmpty());
    }

    /** The DOMAIN column's value when all rows agree on one, else the dataset's name. */
    private static String domainOf(ReadDataset dataset) {
        if (!dataset.columns().contains("DOMAIN")) {
            return dataset.name();
        }
        String domain = null;
        for (DatasetRow r : dataset.rows()) {
            if (r.problem() != null) {
                continue;
            }
            String d = value(r.values(), "DOMAIN").trim().toUpperCase(Locale.ROOT);
            if (d.isEmpty() || (domain != null && !domain.equals(d))) {
                return dataset.name();
            }
            domain = d;
        }
        return domain == null || !domain.matches("[A-Z][A-Z0-9]{1,7}") ? dataset.name() : domain;
    }

    /** A value as the mapping reads it: absent and SAS missing values are "". */
    private static String value(Map<String, String> values, String column) {
        String v = values.get(column);
        return v == null || MissingValues.isSasMissing(v) ? "" : v;
    }

    /** The record as the message store keeps it: its columns in file order, as the mapping reads them. */
    static String rawJson(Set<String> columns, Map<String, String> values) {
        return rawJson(columns, List.of(), values);
    }

    /** ...followed by the define's decodes ({@code <VARIABLE>.DECODE}) the record was given. */
    static String rawJson(Set<String> columns, List<String> decodes, Map<String, String> values) {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String c : columns) {
            ordered.put(c, value(values, c));
        }
        for (String d : decodes) {
            ordered.put(d, value(values, d));
        }
        try {
            return JSON.writeValueAsString(ordered);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
