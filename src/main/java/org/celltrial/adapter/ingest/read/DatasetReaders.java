package org.celltrial.adapter.ingest.read;

import org.celltrial.adapter.ingest.read.json.DatasetJsonReader;
import org.celltrial.adapter.ingest.read.xpt.XptDatasetReader;

import java.util.List;
import java.util.Optional;

/**
 * Which reader takes a file, by its name's extension: {@code .xpt} SAS XPORT v5, {@code .json} and {@code .ndjson}
 * Dataset-JSON v1.1 (and whatever other readers the registry is built with, e.g. CSV). A name no reader takes is not
 * a dataset file.
 */
public final class DatasetReaders {

    private final List<DatasetReader> readers;

    /** The readers to choose from; no two may take the same file name (checked for the known extensions). */
    public DatasetReaders(List<DatasetReader> readers) {
        this.readers = List.copyOf(readers);
        for (String probe : List.of("x.xpt", "x.json", "x.ndjson", "x.csv", "x.xml")) {
            long takers = this.readers.stream().filter(r -> r.reads(probe)).count();
            if (takers > 1) {
                throw new IllegalArgumentException(takers + " readers take " + probe.substring(1) + " files");
            }
        }
    }

    /** The readers of this package: SAS XPORT v5 and Dataset-JSON (JSON and NDJSON). */
    public static DatasetReaders standard() {
        return new DatasetReaders(List.of(new XptDatasetReader(), new DatasetJsonReader()));
    }

    /** The reader for a file of that name, if any reads it. */
    public Optional<DatasetReader> forFile(String fileName) {
        return readers.stream().filter(r -> r.reads(fileName)).findFirst();
    }

    public List<DatasetReader> readers() {
        return readers;
    }
}
