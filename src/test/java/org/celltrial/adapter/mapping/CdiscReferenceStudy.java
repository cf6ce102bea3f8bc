package org.celltrial.adapter.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Test helper: reads an SDTM study written as CDISC Dataset-JSON v1.1 ({@code columns} + {@code rows}), e.g. the CDISC
 * SDTM MSG reference study in {@code /work/shared/reference/cdisc-msg-sdtm/dataset-json/}, into {@link SourceRecord}s as the
 * CSV reader would give them (file name {@code lb.json}, rows counted from 1, numbers as text without a trailing
 * {@code .0}, nulls as empty), and maps whole studies through a {@link MappingSession} as the ingest does: domain from the
 * DOMAIN column (split datasets) else the file name, datasets in processing order, duplicate record keys rejected.
 */
final class CdiscReferenceStudy {

    static final Path DEFAULT_DIR = Path.of("/work/shared/reference/cdisc-msg-sdtm/dataset-json");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private CdiscReferenceStudy() {
    }

    /** One dataset file: its domain and header (upper case) and its records. */
    record Dataset(String file, String domain, Set<String> columns, List<SourceRecord> records) {
    }

    /** One record that could not be mapped. */
    record Failure(String domain, SourceRecord record, String column, String reason) {
        @Override
        public String toString() {
            return record.origin() + (column == null ? "" : " column " + column) + ": " + reason;
        }
    }

    /** What mapping a study gave, per domain: records read, mapped, rejected; datasets with no mapping. */
    static final class Result {
        final Map<String, int[]> counts = new TreeMap<>(); // domain → {records, mapped}
        final List<Failure> failures = new ArrayList<>();
        final Map<String, Integer> notMapped = new TreeMap<>();
        final List<DataQualityIssue> issues = new ArrayList<>();
        MappingSession session;

        int records() {
            return counts.values().stream().mapToInt(c -> c[0]).sum();
        }

        int mapped() {
            return counts.values().stream().mapToInt(c -> c[1]).sum();
        }

        String table() {
            StringBuilder sb = new StringBuilder(String.format("%-8s %8s %8s %8s%n", "domain", "records", "mapped", "percent"));
            counts.forEach((d, c) -> sb.append(String.format(Locale.ROOT, "%-8s %8d %8d %7.2f%%%n", d, c[0], c[1], 100.0 * c[1] / c[0])));
            sb.append(String.format(Locale.ROOT, "%-8s %8d %8d %7.2f%%%n", "ALL", records(), mapped(), 100.0 * mapped() / records()));
            notMapped.forEach((f, n) -> sb.append("not mapped: ").append(f).append(" (").append(n).append(" rows)\n"));
            failures.forEach(f -> sb.append("rejected: ").append(f).append('\n'));
            return sb.toString();
        }
    }

    static List<Dataset> readDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")).sorted()
                    .map(CdiscReferenceStudy::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder of SDTM CSV files (a delivery as the inbox gets it, e.g. a sponsor variant under src/test/resources). */
    static List<Dataset> readCsvDirectory(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted()
                    .map(CdiscReferenceStudy::readCsv).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dataset readCsv(Path file) {
        String fileName = file.getFileName().toString();
        List<String> names = new ArrayList<>();
        List<SourceRecord> records = new ArrayList<>();
        try (org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true).setTrim(true).build()
                .parse(Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8))) {
            parser.getHeaderNames().forEach(h -> names.add(h.toUpperCase(Locale.ROOT)));
            int row = 0;
            for (org.apache.commons.csv.CSVRecord r : parser) {
                row++;
                Map<String, String> values = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    values.put(names.get(i), i < r.size() ? r.get(i) : "");
                }
                records.add(new SourceRecord(fileName, row, values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String stem = fileName.substring(0, fileName.lastIndexOf('.')).toUpperCase(Locale.ROOT);
        return new Dataset(fileName, domainOf(names, records, stem), new LinkedHashSet<>(names), records);
    }

    static Dataset read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode c : root.get("columns")) {
            names.add(c.get("name").asText().toUpperCase(Locale.ROOT));
        }
        String fileName = file.getFileName().toString();
        List<SourceRecord> records = new ArrayList<>();
        int row = 0;
        for (JsonNode r : root.get("rows")) {
            row++;
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), text(r.get(i)));
            }
            records.add(new SourceRecord(fileName, row, values));
        }
        String stem = fileName.substring(0, fileName.lastIndexOf('.')).toUpperCase(Locale.ROOT);
        return new Dataset(fileName, domainOf(names, records, stem), new LinkedHashSet<>(names), records);
    }

    /** A Dataset-JSON cell as a CSV export would write it. */
    static String text(JsonNode cell) {
        if (cell == null || cell.isNull()) {
            return "";
        }
        if (cell.isNumber()) {
            return cell.decimalValue().stripTrailingZeros().toPlainString();
        }
        return cell.asText().trim();
    }

    /** As the ingest: the DOMAIN column's value when all rows agree on one, else the file name's. */
    private static String domainOf(List<String> columns, List<SourceRecord> records, String stem) {
        if (!columns.contains("DOMAIN")) {
            return stem;
        }
        String domain = null;
        for (SourceRecord r : records) {
            String d = r.get("DOMAIN").trim().toUpperCase(Locale.ROOT);
            if (d.isEmpty() || (domain != null && !domain.equals(d))) {
                return stem;
            }
            domain = d;
        }
        return domain == null || !domain.matches("[A-Z][A-Z0-9]{1,7}") ? stem : domain;
    }

    /** Maps all datasets of a study in one session, in processing order (trial design, DM, the rest, SUPP--/RELREC). */
    static Result map(MappingSet mappings, List<Dataset> datasets) {
        Result result = new Result();
        MappingSession session = new MappingEngine(mappings, "Z").newSession(SubjectDirectory.NONE);
        result.session = session;
        record Job(Dataset dataset, DomainMapping mapping) {
        }
        List<Job> jobs = new ArrayList<>();
        for (Dataset d : datasets) {
            Optional<DomainMapping> m = mappings.forDataset(d.domain(), d.columns());
            if (m.isEmpty()) {
                result.notMapped.put(d.file(), d.records().size());
                continue;
            }
            jobs.add(new Job(d, m.get()));
        }
        jobs.sort(Comparator.comparing(Job::mapping, MappingSet.processingOrder()));
        Map<String, Map<List<String>, Integer>> keys = new HashMap<>();
        for (Job job : jobs) {
            DomainMapping mapping = job.mapping();
            int[] c = result.counts.computeIfAbsent(job.dataset().domain(), k -> new int[2]);
            List<String> missing = mapping.missingColumns(job.dataset().columns());
            for (SourceRecord r : job.dataset().records()) {
                c[0]++;
                if (!missing.isEmpty()) {
                    result.failures.add(new Failure(mapping.domain(), r, String.join(", ", missing), "required column missing from the header"));
                    continue;
                }
                if (!mapping.recordKey().isEmpty()) {
                    List<String> key = mapping.recordKey().stream().map(r::get).toList();
                    Integer first = keys.computeIfAbsent(mapping.domain(), k -> new HashMap<>()).putIfAbsent(key, r.row());
                    if (first != null) {
                        result.failures.add(new Failure(mapping.domain(), r, null, "duplicate key " + key + " (first in row " + first + ")"));
                        continue;
                    }
                }
                try {
                    result.issues.addAll(session.map(mapping, r));
                    c[1]++;
                } catch (RecordMappingException e) {
                    result.failures.add(new Failure(mapping.domain(), r, e.column(), e.getMessage()));
                }
            }
        }
        return result;
    }
}
