package org.celltrial.adapter.ingest.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.celltrial.adapter.ingest.read.ReferenceStudy.ReadDataset;
import org.celltrial.adapter.ingest.read.json.DatasetJsonReader;
import org.celltrial.adapter.ingest.read.xpt.XptDatasetReader;
import org.celltrial.adapter.ingest.read.xpt.XptWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the dataset readers (not a unit test: run by src/bench/reader-throughput.sh). Generates the reference
 * study's LB dataset (23 columns, real values, SAS's lengths) cycled to N rows as XPT (with the test-side XptWriter),
 * NDJSON and JSON, each written row by row, then reads each file fully and prints rows/s and the heap's peak use.
 * Usage: ReaderThroughput [rows] [folder] [rounds] [reuse: read the files a previous run generated]
 */
public final class ReaderThroughput {

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path folder = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "target/bench/readers"));
        ReadDataset lb = ReferenceStudy.readAll(new XptDatasetReader(), ReferenceStudy.ROOT.resolve("xpt/lb.xpt")).get(0);
        DatasetMetadata jsonMetadata = ReferenceStudy.readAll(new DatasetJsonReader(),
                ReferenceStudy.ROOT.resolve("dataset-json/lb.json")).get(0).metadata();
        Path xpt = folder.resolve("lb.xpt");
        Path ndjson = folder.resolve("lb.ndjson");
        Path json = folder.resolve("lb.json");
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean reuse = args.length > 3 && args[3].equals("reuse") && Files.exists(json);
        long t0 = System.nanoTime();
        if (!reuse) {
            writeXpt(lb, rows, xpt);
            writeJson(lb, jsonMetadata, rows, ndjson, true);
            writeJson(lb, jsonMetadata, rows, json, false);
        }
        System.out.printf(Locale.ROOT, "generated %,d rows in %.1f s: xpt %,d MB, ndjson %,d MB, json %,d MB%n", rows,
                (System.nanoTime() - t0) / 1e9, Files.size(xpt) >> 20, Files.size(ndjson) >> 20, Files.size(json) >> 20);
        System.out.printf(Locale.ROOT, "max heap (-Xmx) %,d MB, load average %.1f%n",
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int round = 1; round <= rounds; round++) {
            measure("round " + round + " SAS XPORT v5 ", new XptDatasetReader(), xpt, rows);
            measure("round " + round + " Dataset-NDJSON", new DatasetJsonReader(), ndjson, rows);
            measure("round " + round + " Dataset-JSON  ", new DatasetJsonReader(), json, rows);
        }
    }

    private static void measure(String what, DatasetReader reader, Path file, int expectedRows) throws Exception {
        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        long rows = 0;
        long chars = 0;
        try (InputStream in = Files.newInputStream(file); DatasetSource source = reader.open(file.toString(), in)) {
            DatasetCursor cursor = source.nextDataset();
            DatasetRow row;
            while ((row = cursor.next()) != null) {
                if (row.problem() != null) {
                    throw new IllegalStateException("problem row " + row.number() + ": " + row.problem());
                }
                rows++;
                for (String value : row.values().values()) {
                    chars += value.length();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (rows != expectedRows) {
            throw new IllegalStateException(rows + " rows read, " + expectedRows + " written");
        }
        System.out.printf(Locale.ROOT, "%s: %,d rows in %.1f s = %,.0f rows/s, %,.0f MB/s; heap peak %,d MB (%,d chars);"
                        + " load %.1f%n", what, rows, seconds, rows / seconds, Files.size(file) / seconds / 1e6,
                peakHeap() >> 20, chars, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the reset: an upper bound of the heap used while reading (garbage included). */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static Object[] rowValues(ReadDataset lb, List<DatasetMetadata.Variable> variables, int index) {
        DatasetRow row = lb.rows().get(index % lb.rows().size());
        Object[] values = new Object[variables.size()];
        for (int c = 0; c < values.length; c++) {
            DatasetMetadata.Variable v = variables.get(c);
            String value = row.values().get(v.name());
            if (v.name().equals("LBSEQ")) {
                value = Integer.toString(index + 1);
            }
            values[c] = v.type() == DatasetMetadata.VariableType.DOUBLE
                    ? (value.isEmpty() ? null : Double.valueOf(value)) : value;
        }
        return values;
    }

    private static void writeXpt(ReadDataset lb, int rows, Path file) throws IOException {
        List<DatasetMetadata.Variable> variables = lb.metadata().variables();
        try (OutputStream out = Files.newOutputStream(file); XptWriter writer = new XptWriter(out)) {
            writer.startMember("LB", lb.metadata().label(), variables.stream()
                    .map(v -> new XptWriter.Column(v.name(), v.label(), v.type() == DatasetMetadata.VariableType.DOUBLE,
                            v.length(), "", 0, 0)).toList());
            for (int i = 0; i < rows; i++) {
                writer.row(rowValues(lb, variables, i));
            }
        }
    }

    private static void writeJson(ReadDataset lb, DatasetMetadata metadata, int rows, Path file, boolean ndjson)
            throws IOException {
        List<DatasetMetadata.Variable> variables = lb.metadata().variables();
        JsonFactory factory = new JsonFactory();
        try (OutputStream out = Files.newOutputStream(file); JsonGenerator json = factory.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("datasetJSONCreationDateTime", "2026-01-01T00:00:00");
            json.writeStringField("datasetJSONVersion", "1.1.0");
            json.writeStringField("itemGroupOID", "IG.LB");
            json.writeNumberField("records", rows);
            json.writeStringField("name", "LB");
            json.writeStringField("label", metadata.label());
            json.writeArrayFieldStart("columns");
            for (DatasetMetadata.Variable v : metadata.variables()) {
                json.writeStartObject();
                json.writeStringField("itemOID", v.itemOid());
                json.writeStringField("name", v.name());
                json.writeStringField("label", v.label());
                json.writeStringField("dataType", v.type().name().toLowerCase(Locale.ROOT));
                if (v.length() > 0) {
                    json.writeNumberField("length", v.length());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (ndjson) {
                json.writeEndObject();
                json.writeRaw('\n');
            } else {
                json.writeArrayFieldStart("rows");
            }
            for (int i = 0; i < rows; i++) {
                Object[] values = rowValues(lb, variables, i);
                json.writeStartArray();
                for (int c = 0; c < values.length; c++) {
                    Object value = values[c];
                    if (value == null) {
                        json.writeNull();
                    } else if (value instanceof Double) {
                        json.writeNumber(lb.metadata().variables().get(c).name().equals("LBSEQ")
                                ? Integer.toString(i + 1) : NumberText.binary((Double) value));
                    } else {
                        json.writeString((String) value);
                    }
                }
                json.writeEndArray();
                if (ndjson) {
                    json.flush();
                    out.write('\n');
                }
            }
            if (!ndjson) {
                json.writeEndArray();
                json.writeEndObject();
            }
        }
    }

    private ReaderThroughput() {
    }
}
