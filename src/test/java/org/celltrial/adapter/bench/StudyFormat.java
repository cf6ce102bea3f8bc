package org.celltrial.adapter.bench;

import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.LoadedDataset;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;
import org.celltrial.adapter.ingest.read.xpt.XptWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The file format a benchmark study is delivered in. The synthetic study is generated as CSV
 * ({@link org.celltrial.adapter.cli.SyntheticStudyGenerator}); {@link #convert} rewrites it as SAS XPORT v5 or
 * Dataset-JSON v1.1 (JSON or NDJSON) with the variable types SDTM gives these columns, so that one study, value for
 * value, can be ingested in each format and the rates compared. The CSV is read with the adapter's own CSV reader, so
 * the values written are exactly the ones the CSV ingest sees.
 */
public enum StudyFormat {
    CSV("csv"), XPT("xpt"), JSON("json"), NDJSON("ndjson");

    /** The SDTM type of a synthetic-study column, as a Dataset-JSON {@code dataType}. */
    public enum Type {
        STRING("string"), INTEGER("integer"), FLOAT("float"), DATE("date"), DATETIME("datetime");

        final String dataType;

        Type(String dataType) {
            this.dataType = dataType;
        }

        public boolean numeric() {
            return this == INTEGER || this == FLOAT;
        }
    }

    /** A column as written: name, label, type and, for character data, its length in UTF-8 bytes. */
    public record Column(String name, String label, Type type, int length) {
    }

    private static final Map<String, String> DATASET_LABELS = Map.of("TS", "Trial Summary", "DM", "Demographics",
            "PR", "Procedures", "EX", "Exposure", "AE", "Adverse Events", "CE", "Clinical Events");

    /** SDTMIG labels of the columns that are not a domain prefix plus a common suffix. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("STUDYID", "Study Identifier"), Map.entry("DOMAIN", "Domain Abbreviation"),
            Map.entry("USUBJID", "Unique Subject Identifier"), Map.entry("SUBJID", "Subject Identifier for the Study"),
            Map.entry("TSPARMCD", "Trial Summary Parameter Short Name"), Map.entry("TSPARM", "Trial Summary Parameter"),
            Map.entry("TSVAL", "Parameter Value"), Map.entry("RFSTDTC", "Subject Reference Start Date/Time"),
            Map.entry("RFENDTC", "Subject Reference End Date/Time"), Map.entry("RFICDTC", "Date/Time of Informed Consent"),
            Map.entry("SITEID", "Study Site Identifier"), Map.entry("BRTHDTC", "Date/Time of Birth"), Map.entry("AGE", "Age"),
            Map.entry("AGEU", "Age Units"), Map.entry("SEX", "Sex"), Map.entry("RACE", "Race"), Map.entry("ETHNIC", "Ethnicity"),
            Map.entry("ARMCD", "Planned Arm Code"), Map.entry("ARM", "Description of Planned Arm"),
            Map.entry("ACTARMCD", "Actual Arm Code"), Map.entry("ACTARM", "Description of Actual Arm"),
            Map.entry("COUNTRY", "Country"), Map.entry("DTHFL", "Subject Death Flag"), Map.entry("DTHDTC", "Date/Time of Death"),
            Map.entry("EXDOSE", "Dose"), Map.entry("EXDOSU", "Dose Units"), Map.entry("EXDOSFRM", "Dose Form"),
            Map.entry("EXROUTE", "Route of Administration"), Map.entry("EXLOT", "Lot Number"),
            Map.entry("AEBODSYS", "Body System or Organ Class"), Map.entry("AESEV", "Severity/Intensity"),
            Map.entry("AESER", "Serious Event"), Map.entry("AETOXGR", "Standard Toxicity Grade"), Map.entry("AEREL", "Causality"),
            Map.entry("AEACN", "Action Taken with Study Treatment"), Map.entry("AEOUT", "Outcome of Adverse Event"));

    /** Labels of --XXX variables by suffix (SDTMIG wording without the domain-specific noun). */
    private static final Map<String, String> SUFFIX_LABELS = Map.of("SEQ", "Sequence Number", "TRT", "Name of Treatment",
            "TERM", "Reported Term", "DECOD", "Standardized Term", "CAT", "Category", "OCCUR", "Occurrence",
            "STDTC", "Start Date/Time", "ENDTC", "End Date/Time", "STDY", "Study Day of Start", "ENDY", "Study Day of End");

    public final String extension;

    StudyFormat(String extension) {
        this.extension = extension;
    }

    public static StudyFormat of(String name) {
        for (StudyFormat f : values()) {
            if (f.extension.equalsIgnoreCase(name.trim())) return f;
        }
        throw new IllegalArgumentException("format must be csv, xpt, json or ndjson, not " + name);
    }

    /**
     * The type SDTM gives a column of the synthetic study: --SEQ, --STDY/--ENDY and AGE are integers, EXDOSE a number
     * with a fraction (cell doses such as 1.3), --DTC ISO 8601 dates, datetimes where any value has a time; the rest,
     * AETOXGR and the zero-padded SUBJID/SITEID included, character (SDTMIG types).
     */
    public static Type typeOf(String column, List<DatasetRow> rows) {
        if (column.equals("AGE") || column.endsWith("SEQ") || column.endsWith("STDY") || column.endsWith("ENDY")) {
            return Type.INTEGER;
        }
        if (column.equals("EXDOSE")) return Type.FLOAT;
        if (column.endsWith("DTC")) {
            return rows.stream().anyMatch(r -> r.values().get(column).contains("T")) ? Type.DATETIME : Type.DATE;
        }
        return Type.STRING;
    }

    static String label(String column) {
        String label = LABELS.get(column);
        if (label == null && column.length() > 2) label = SUFFIX_LABELS.get(column.substring(2));
        if (label == null) throw new IllegalArgumentException("no label for column " + column);
        return label;
    }

    /** The columns of a dataset with their types and (character) lengths: the longest value, at least 1 byte. */
    static List<Column> columns(LoadedDataset ds) {
        return columns(ds, 1);
    }

    /** As {@link #columns(LoadedDataset)}, character columns declared at least {@code minCharLength} bytes long. */
    static List<Column> columns(LoadedDataset ds, int minCharLength) {
        List<Column> columns = new ArrayList<>();
        for (String name : ds.columns()) {
            Type type = typeOf(name, ds.rows());
            int length = Math.max(1, minCharLength);
            for (DatasetRow r : ds.rows()) {
                length = Math.max(length, r.values().get(name).getBytes(StandardCharsets.UTF_8).length);
            }
            columns.add(new Column(name, label(name), type, type.numeric() ? 8 : length));
        }
        return columns;
    }

    /**
     * Writes the CSV study in {@code csvStudy} in this format into {@code out} (created), one file per dataset named
     * after it ({@code dm.xpt}, {@code dm.json}...); CSV is copied. Returns the files written.
     */
    public List<Path> convert(Path csvStudy, Path out) throws IOException {
        return convert(csvStudy, out, 1);
    }

    /**
     * As {@link #convert(Path, Path)}, every character column declared at least {@code minCharLength} bytes long, as
     * SAS programs that give every text variable {@code $200} write them: the same rows in a much bigger file.
     */
    public List<Path> convert(Path csvStudy, Path out, int minCharLength) throws IOException {
        Files.createDirectories(out);
        List<Path> written = new ArrayList<>();
        List<Path> csvs;
        try (Stream<Path> s = Files.list(csvStudy)) {
            csvs = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        for (Path csv : csvs) {
            String file = csv.getFileName().toString();
            Path target = out.resolve(file.substring(0, file.length() - 3) + extension);
            if (this == CSV) {
                Files.copy(csv, target);
                written.add(target);
                continue;
            }
            LoadedDataset ds;
            try (InputStream in = Files.newInputStream(csv)) {
                ds = LoadedDataset.readOne(new CsvDatasetReader(), file, in);
            } catch (UnreadableDatasetException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (!ds.problems().isEmpty()) {
                throw new IOException(file + ": " + ds.problems().size() + " rows the CSV reader refuses, first: "
                        + ds.problems().get(0).problem());
            }
            String name = ds.name().toUpperCase(Locale.ROOT);
            String label = DATASET_LABELS.getOrDefault(name, name);
            List<Column> columns = columns(ds, minCharLength);
            try (OutputStream os = Files.newOutputStream(target)) {
                switch (this) {
                    case XPT -> writeXpt(os, name, label, columns, ds.rows());
                    case JSON, NDJSON -> DatasetJsonWriter.write(os, this == NDJSON, name, label, columns, ds.rows());
                    default -> throw new IllegalStateException(name());
                }
            }
            written.add(target);
        }
        return written;
    }

    private static void writeXpt(OutputStream os, String name, String label, List<Column> columns, List<DatasetRow> rows)
            throws IOException {
        List<XptWriter.Column> xpt = columns.stream().map(c -> c.type().numeric()
                ? XptWriter.Column.numeric(c.name(), c.label())
                : XptWriter.Column.character(c.name(), c.label(), c.length())).toList();
        try (XptWriter w = new XptWriter(os)) {
            w.startMember(name, label, xpt);
            Object[] values = new Object[columns.size()];
            for (DatasetRow r : rows) {
                for (int i = 0; i < values.length; i++) {
                    Column c = columns.get(i);
                    String v = r.values().get(c.name());
                    // a numeric column's empty value is SAS's missing "." (null), not 0
                    values[i] = !c.type().numeric() ? v : v.isEmpty() ? null : Double.valueOf(new BigDecimal(v).doubleValue());
                }
                w.row(values);
            }
        }
    }
}
