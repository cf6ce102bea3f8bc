package org.celltrial.adapter.ingest.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to one delivery: per-dataset counts, every rejected record with its reason (file, row,
 * column), and file-level problems. Rendered as the human-readable report kept beside the delivery.
 */
public final class IngestReport {

    /** Characters of a rejected record shown in the report; the rest is counted, not copied. */
    static final int MAX_RECORD_CHARS = 2000;

    /** A rejected record or file. {@code row} 0 means the whole file (e.g. its header). */
    public record Problem(String file, int row, String column, String reason, String raw) {
        public String location() {
            StringBuilder sb = new StringBuilder(file);
            sb.append(row > 0 ? " row " + row : " (whole file)");
            if (column != null) {
                sb.append(" column ").append(column);
            }
            return sb.toString();
        }
    }

    private final String delivery;
    private final Map<String, int[]> datasets = new TreeMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Integer> notMapped = new TreeMap<>();
    /** Per dataset file: what the delivery's Define-XML says about it, one line each. */
    private final Map<String, String> define = new TreeMap<>();
    /** (file, column, value, translation) → rows: values kept as text without a code. */
    private final Map<List<String>, List<Integer>> warnings = new java.util.LinkedHashMap<>();
    private int recordsRead;
    private int recordsRejected;
    private int resourcesWritten;

    public IngestReport(String delivery) {
        this.delivery = delivery;
    }

    public void dataset(String file, String domain, int rows) {
        datasets.put(file + " (" + domain + ")", new int[]{rows});
        recordsRead += rows;
    }

    public void rejectFile(String file, String column, String reason, int recordsLost) {
        problems.add(new Problem(file, 0, column, reason, null));
        recordsRejected += recordsLost;
    }

    public void rejectRecord(String file, int row, String column, String reason, String raw) {
        problems.add(new Problem(file, row, column, reason, raw));
        recordsRejected++;
    }

    /** A dataset no mapping file covers: listed with its row count, never rejected. */
    public void notMapped(String file, String domain, int rows) {
        notMapped.put(file + " (" + domain + ")", rows);
    }

    /**
     * What the delivery's Define-XML says about a dataset: its label, the variables it declares that the file lacks,
     * and the file's variables it does not declare; or {@code note} instead when it does not describe the dataset.
     */
    public void defineDataset(String file, String label, List<String> declaredNotDelivered, List<String> notDeclared,
                              String note) {
        StringBuilder sb = new StringBuilder();
        if (note != null) {
            sb.append(note);
        } else {
            sb.append('"').append(label).append('"');
            sb.append("; declared but not in the data: ").append(names(declaredNotDelivered));
            sb.append("; in the data but not declared: ").append(names(notDeclared));
        }
        define.put(file, sb.toString());
    }

    /** At most 50 names: a hostile define may declare a million variables, the report stays readable. */
    private static String names(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        String shown = String.join(", ", names.subList(0, Math.min(50, names.size())));
        return names.size() > 50 ? shown + ", … (" + (names.size() - 50) + " more)" : shown;
    }

    /** The define's line for a dataset file, or null. */
    public String defineDataset(String file) {
        return define.get(file);
    }

    /** A value of a stored record kept as text because our terminology does not translate it. */
    public synchronized void untranslated(String file, int row, String column, String value, String translation) {
        warnings.computeIfAbsent(List.of(file, column, value, translation), k -> new ArrayList<>()).add(row);
    }

    public int warningCount() {
        return warnings.values().stream().mapToInt(List::size).sum();
    }

    public void note(String note) {
        notes.add(note);
    }

    public void resourcesWritten(int n) {
        resourcesWritten += n;
    }

    public String delivery() {
        return delivery;
    }

    public List<Problem> problems() {
        return problems;
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    public int recordsRead() {
        return recordsRead;
    }

    public int recordsRejected() {
        return recordsRejected;
    }

    public int recordsStored() {
        return recordsRead - recordsRejected;
    }

    public int resourcesWritten() {
        return resourcesWritten;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        // names and values come from the delivery: control characters are escaped, no line can be forged
        sb.append("Delivery: ").append(LogSafe.escape(delivery)).append('\n');
        sb.append("Outcome: ").append(hasProblems()
                ? "PROBLEMS - " + recordsStored() + " of " + recordsRead + " records stored, " + recordsRejected + " rejected"
                : "OK - all " + recordsRead + " records stored").append('\n');
        sb.append("FHIR resources written: ").append(resourcesWritten).append("\n\n");
        sb.append("Datasets:\n");
        datasets.forEach((k, v) -> sb.append("  ").append(LogSafe.escape(k)).append(": ").append(v[0]).append(" rows\n"));
        if (!notMapped.isEmpty()) {
            sb.append("\nNot mapped (no mapping file in mappings/ covers these datasets; nothing of them was stored):\n");
            notMapped.forEach((k, v) -> sb.append("  ").append(LogSafe.escape(k)).append(": ").append(v).append(" rows\n"));
        }
        if (!define.isEmpty()) {
            sb.append("\nDefine-XML (per dataset: its label; variables it declares that the data lacks; variables of the")
                    .append(" data it does not declare):\n");
            define.forEach((k, v) -> sb.append("  ").append(LogSafe.escape(k)).append(": ").append(LogSafe.escape(v))
                    .append('\n'));
        }
        if (!problems.isEmpty()) {
            sb.append("\nProblems (fix them and deliver the corrected files again; records already stored are not duplicated):\n");
            for (Problem p : problems) {
                sb.append("  - ").append(LogSafe.escape(p.location())).append(": ").append(LogSafe.escape(p.reason())).append('\n');
                if (p.raw() != null) {
                    // cut: one 50 MB field made a 50 MB report, kept in the message store too (bad-input corpus)
                    sb.append("      record: ").append(LogSafe.escape(p.raw(), MAX_RECORD_CHARS)).append('\n');
                }
            }
        }
        if (!warnings.isEmpty()) {
            sb.append("\nWarnings (stored, but a value has no code in our terminology and was kept as text; add it to")
                    .append(" mappings/terminology/, reload, and re-code: GET /api/terminology/unmapped):\n");
            warnings.forEach((k, rows) -> {
                List<Integer> sorted = rows.stream().sorted().toList();
                String shown = sorted.stream().limit(10).map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
                sb.append("  - ").append(LogSafe.escape(k.get(0))).append(" column ").append(LogSafe.escape(k.get(1)))
                        .append(": '").append(LogSafe.escape(k.get(2)))
                        .append("' has no translation in '").append(LogSafe.escape(k.get(3))).append("' (").append(rows.size())
                        .append(rows.size() == 1 ? " row: " : " rows: ").append(shown).append(sorted.size() > 10 ? ", …" : "")
                        .append(")\n");
            });
        }
        if (!notes.isEmpty()) {
            sb.append("\nNotes:\n");
            notes.forEach(n -> sb.append("  - ").append(LogSafe.escape(n)).append('\n'));
        }
        return sb.toString();
    }
}
