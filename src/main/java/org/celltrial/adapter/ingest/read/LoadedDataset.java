package org.celltrial.adapter.ingest.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dataset read whole into memory, for small files only (the demo studies of the CLI, tests): its name, variable names
 * in file order, good rows and rows with a problem. The ingest streams instead.
 */
public record LoadedDataset(String name, Set<String> columns, List<DatasetRow> rows, List<DatasetRow> problems) {

    /** Every dataset of the file, in file order. */
    public static List<LoadedDataset> readAll(DatasetReader reader, String fileName, InputStream in)
            throws UnreadableDatasetException, IOException {
        List<LoadedDataset> all = new ArrayList<>(1);
        try (DatasetSource source = reader.open(fileName, in)) {
            DatasetCursor cursor;
            while ((cursor = source.nextDataset()) != null) {
                try (DatasetCursor open = cursor) {
                    Set<String> columns = new LinkedHashSet<>();
                    open.metadata().variables().forEach(v -> columns.add(v.name()));
                    List<DatasetRow> rows = new ArrayList<>();
                    List<DatasetRow> problems = new ArrayList<>();
                    DatasetRow row;
                    while ((row = open.next()) != null) {
                        (row.problem() == null ? rows : problems).add(row);
                    }
                    all.add(new LoadedDataset(open.metadata().name(), columns, rows, problems));
                }
            }
        }
        return all;
    }

    /** The one dataset of a file that holds exactly one (CSV, Dataset-JSON). */
    public static LoadedDataset readOne(DatasetReader reader, String fileName, InputStream in)
            throws UnreadableDatasetException, IOException {
        List<LoadedDataset> all = readAll(reader, fileName, in);
        if (all.size() != 1) {
            throw new UnreadableDatasetException(fileName + ": holds " + all.size() + " datasets, expected one");
        }
        return all.get(0);
    }
}
