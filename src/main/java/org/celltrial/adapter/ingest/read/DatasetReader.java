package org.celltrial.adapter.ingest.read;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one SDTM dataset file format (CSV, SAS XPORT, Dataset-JSON, NDJSON...). Readers are streaming: a file is
 * read as its datasets and rows are asked for, never held in memory as a whole, so a 1 M-row file costs the memory of
 * one row. Readers know nothing of deliveries, mappings or the store; they turn bytes into named string values.
 */
public interface DatasetReader {

    /** A short name of the format for reports and logs, e.g. "CSV", "SAS XPORT v5", "Dataset-JSON". */
    String format();

    /** Whether this reader takes a file of that name (by its extension, case-insensitive). */
    boolean reads(String fileName);

    /**
     * Whether this reader takes a file whose name it {@link #reads(String) reads}, by its first bytes: for an extension
     * that more than one kind of file shares ({@code .xml}: CDISC ODM data and Define-XML metadata). Reads from
     * {@code start} only as far as it needs; the caller closes it and opens the file anew to read it. By default the
     * name decides.
     */
    default boolean readsContent(String fileName, InputStream start) throws IOException {
        return true;
    }

    /**
     * Opens the file. The stream is owned by the returned source and closed with it. A file that is not this format
     * at all (wrong header, another version) fails here with an {@link UnreadableDatasetException} naming the file and
     * why; problems found later are reported by {@link DatasetSource#nextDataset()} or per row.
     */
    DatasetSource open(String fileName, InputStream in) throws UnreadableDatasetException, IOException;
}
