package org.celltrial.adapter.ingest.read;

import java.io.Closeable;
import java.io.IOException;

/** The rows of one dataset, read one at a time. */
public interface DatasetCursor extends Closeable {

    /** What the file declares about the dataset: its name, label and variables, in file order. */
    DatasetMetadata metadata();

    /**
     * The next row, or null at the end of the dataset. A row the format itself makes unreadable (a CSV row with the
     * wrong number of fields) comes back with {@link DatasetRow#problem()} set and the rest of the dataset still
     * readable; a file broken beyond that (truncated XPT, malformed JSON) throws, naming the file and the row.
     */
    DatasetRow next() throws UnreadableDatasetException, IOException;
}
