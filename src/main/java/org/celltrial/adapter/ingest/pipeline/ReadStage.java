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
 * <p>Memory: {@link #read} holds the datasets of a delivery whole until the delivery is stored. For a big delivery,
 * {@link #scan} reads every file once keeping only each dataset's summary, and {@link StreamedReceiveStage} reads the
 * rows again, straight into the message store ({@link DeliveryPipeline}).
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

    /**
     * One dataset as a file gave it: its rows, or (the streamed ingest's first pass) only what deciding about it needs:
     * how many rows, how many unreadable, and the DOMAIN its rows agree on.
     *
     * @param source the file, and {@code member} the dataset's position in it, to read its rows again
     */
    private record ReadDataset(DeliveryFile source, int member, String file, String name, Set<String> columns,
                               List<DatasetRow> rows, int rowCount, int problems, DomainVote domain) {

        ReadDataset labelled(String label) {
            return new ReadDataset(source, member, label, name, columns, rows, rowCount, problems, domain);
        }
    }

    /**
     * What a dataset is mapped as, decided from its header and summary: its mapping and domain, the define's view of
     * it, the required columns its header lacks (then every record fails), and whether it is complete.
     */
    record DatasetPlan(DeliveryFile source, int member, String file, DomainMapping mapping, String domain,
                       Set<String> columns, DeliveryDefine.Dataset described, List<String> missing, String missingReason,
                       boolean complete) {
    }

    public List<MappableDataset> read(Delivery delivery, DeliveryRun run) {
        return readAndPlan(delivery, run, true).stream().map(Planned::records).toList();
    }

    /**
     * The streamed ingest's first pass: every file read through once, keeping no rows, so that whole-file decisions
     * (unreadable, one file per dataset, DOMAIN, mapping, missing columns) are made and reported exactly as by
     * {@link #read} before any record reaches the store. The plans come in processing order.
     */
    public List<DatasetPlan> scan(Delivery delivery, DeliveryRun run) {
        return readAndPlan(delivery, run, false).stream().map(Planned::plan).toList();
    }

    /** A dataset's plan, and its records when they were kept. */
    private record Planned(DatasetPlan plan, MappableDataset records) {
    }

    private List<Planned> readAndPlan(Delivery delivery, DeliveryRun run, boolean keepRows) {
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
                read.addAll(readFile(reader, file, run.progress(), keepRows));
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
        List<Planned> datasets = new ArrayList<>();
        for (List<ReadDataset> sameName : oneFilePerDataset(read, report)) {
            DatasetPlan plan = plan(sameName.get(0), run, define);
            if (plan != null) {
                // the records made and checked now, in file order, so the report lists problems as it always did
                datasets.add(new Planned(plan, keepRows ? mappable(sameName.get(0), plan, run) : null));
            }
        }
        define.reportDatasetsNotDelivered(read.stream().map(ReadDataset::name).collect(Collectors.toSet()), report);
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(a.plan().mapping(), b.plan().mapping()));
        return datasets;
    }

    /**
     * Opens the dataset of a plan again and hands each of its rows to {@code rows} (the streamed ingest's second pass).
     * The file was read whole once already, so a failure now means it changed or the disk failed: the attempt stops.
     */
    void rowsOf(DatasetPlan plan, java.util.function.Consumer<DatasetRow> rows) {
        DatasetReader reader = readerFor(plan.source());
        try (DatasetSource source = reader.open(plan.source().name(), plan.source().open())) {
            for (int i = 0; ; i++) {
                try (DatasetCursor cursor = source.nextDataset()) {
                    if (cursor == null) {
                        throw new IllegalStateException(plan.file() + " has fewer datasets than when it was first read");
                    }
                    if (i < plan.member()) {
                        continue; // closing the cursor skips the member's rows
                    }
                    DatasetRow row;
                    while ((row = cursor.next()) != null) {
                        rows.accept(row);
                    }
                    return;
                }
            }
        } catch (UnreadableDatasetException | IOException e) {
            throw new IllegalStateException(plan.file() + " could not be read again: " + e.getClass().getSimpleName(), e);
        }
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

    /**
     * All datasets of one file, rows and all (or, without {@code keepRows}, counted and their DOMAIN values compared);
     * the time budget is checked between rows.
     */
    private static List<ReadDataset> readFile(DatasetReader reader, DeliveryFile file, Progress progress, boolean keepRows)
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
                    List<DatasetRow> rows = keepRows ? new ArrayList<>() : null;
                    DomainVote domain = new DomainVote(columns.contains("DOMAIN"));
                    int count = 0;
                    int problems = 0;
                    DatasetRow row;
                    while ((row = open.next()) != null) {
                        count++;
                        if (keepRows) {
                            rows.add(row);
                        }
                        if (row.problem() != null) {
                            problems++;
                        } else {
                            domain.vote(row.values());
                        }
                        if (count % CHECK_EVERY == 0) {
                            Abandonment.checkCurrent(); // a delivery past its time budget stops here
                            progress.rowsRead(CHECK_EVERY);
                            progress.maybeLog();
                        }
                    }
                    progress.rowsRead(count % CHECK_EVERY);
                    datasets.add(new ReadDataset(file, datasets.size(), file.name(), meta.name().toUpperCase(Locale.ROOT),
                            columns, rows, count, problems, domain));
                }
            }
        }
        if (datasets.size() > 1) {
            // a library of several datasets (SAS XPORT members): each record names its file and dataset, so that
            // ids and provenance stay unique per row
            datasets.replaceAll(d -> d.labelled(d.file() + ":" + d.name()));
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

    /**
     * The dataset matched to its mapping; null if no mapping covers it. Reports the define's view of it, its row count
     * (or that it is not mapped) and the required columns its header lacks.
     */
    private static DatasetPlan plan(ReadDataset dataset, DeliveryRun run, DeliveryDefine define) {
        IngestReport report = run.report();
        String name = dataset.file();
        int rows = dataset.rowCount();
        // listed for every dataset the define describes, mapped or not
        DeliveryDefine.Dataset described = define.dataset(dataset.name(), name, dataset.columns(), report);
        // split datasets (qsph.csv, qssl.csv) name their domain in the DOMAIN column
        String domain = dataset.domain().domain(dataset.name());
        DomainMapping mapping = run.mappings().forDataset(domain, dataset.columns()).orElse(null);
        if (mapping == null) {
            report.notMapped(name, domain, rows);
            return null;
        }
        report.dataset(name, domain, rows);
        List<String> missing = mapping.missingColumns(dataset.columns());
        String reason = null;
        if (!missing.isEmpty()) {
            reason = "required column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " missing from the header row";
            report.rejectFile(name, String.join(", ", missing), reason + "; none of the file's "
                    + rows + " records were loaded", rows - dataset.problems());
        }
        return new DatasetPlan(dataset.source(), dataset.member(), name, mapping, domain, dataset.columns(), described,
                missing, reason, missing.isEmpty() && dataset.problems() == 0);
    }

    /** The dataset's records given their state, from the rows kept in memory. */
    private static MappableDataset mappable(ReadDataset dataset, DatasetPlan plan, DeliveryRun run) {
        IngestReport report = run.report();
        List<RecordState> records = new ArrayList<>(dataset.rowCount());
        List<DatasetRow> problems = new ArrayList<>();
        List<RecordState> typeErrors = new ArrayList<>();
        List<String> typeErrorColumns = new ArrayList<>();
        for (DatasetRow row : dataset.rows()) {
            if (row.problem() != null) {
                problems.add(row);
                continue;
            }
            RecordState record = record(plan, row, run);
            records.add(record);
            String badType = plan.described().typeError(record.values());
            if (badType != null) {
                typeErrors.add(record);
                typeErrorColumns.add(badType);
            }
        }
        if (plan.missingReason() != null) {
            records.forEach(r -> run.failWithFile(r, plan.missingReason()));
        }
        for (DatasetRow p : problems) {
            report.rejectRecord(plan.file(), p.number(), null, p.problem(), p.raw());
        }
        for (int i = 0; i < typeErrors.size(); i++) {
            failTypeError(plan, typeErrors.get(i), typeErrorColumns.get(i), run);
        }
        return new MappableDataset(plan.mapping(), plan.file(), records, plan.complete());
    }

    /** One readable row as a record: id {@code <delivery>/<file>/<row>}, values with the define's decodes, JSON, hash. */
    static RecordState record(DatasetPlan plan, DatasetRow row, DeliveryRun run) {
        // the decodes travel in the stored record, so a reprocess or re-coding maps it as this delivery did
        Map<String, String> values = plan.described().withDecodes(row.values(), plan.mapping().decodedVariables());
        String raw = rawJson(plan.columns(), plan.described().decodeColumns(values), values);
        return new RecordState(plan.file(), row.number(), values, run.deliveryId() + "/" + plan.file() + "/"
                + row.number(), plan.domain(), raw, FhirIds.sha256Hex(raw));
    }

    /**
     * The streamed ingest's per-row checks, in row order: a record of a file without a required column fails with the
     * file (reported once for the file), one whose value does not fit the define's DataType fails naming the column.
     */
    static void check(DatasetPlan plan, RecordState record, DeliveryRun run) {
        if (plan.missingReason() != null) {
            run.failWithFile(record, plan.missingReason());
            return;
        }
        String badType = plan.described().typeError(record.values());
        if (badType != null) {
            failTypeError(plan, record, badType, run);
        }
    }

    private static void failTypeError(DatasetPlan plan, RecordState record, String column, DeliveryRun run) {
        // the value is not named: the report quotes the record, and reasons may reach logs
        run.fail(record, column, "the value does not fit the data type '" + plan.described().dataType(column)
                + "' that the Define-XML declares for " + column);
    }

    /**
     * The DOMAIN a dataset's readable rows agree on, counted row by row (so the rows need not be kept): that value when
     * all rows give the same valid one, else the dataset's name.
     */
    static final class DomainVote {
        private final boolean hasColumn;
        private String domain;
        private boolean disagree;

        DomainVote(boolean hasColumn) {
            this.hasColumn = hasColumn;
        }

        void vote(Map<String, String> values) {
            if (!hasColumn || disagree) {
                return;
            }
            String d = value(values, "DOMAIN").trim().toUpperCase(Locale.ROOT);
            if (d.isEmpty() || (domain != null && !domain.equals(d))) {
                disagree = true;
                return;
            }
            domain = d;
        }

        String domain(String datasetName) {
            if (!hasColumn || disagree || domain == null || !domain.matches("[A-Z][A-Z0-9]{1,7}")) {
                return datasetName;
            }
            return domain;
        }
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
