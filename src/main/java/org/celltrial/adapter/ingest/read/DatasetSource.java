package org.celltrial.adapter.ingest.read;

import java.io.Closeable;
import java.io.IOException;

/**
 * The datasets of one file, in file order: exactly one for CSV and Dataset-JSON, one per member for a SAS XPORT
 * library. A dataset's rows must be read (or the cursor closed) before asking for the next dataset.
 */
public interface DatasetSource extends Closeable {

    /** The next dataset of the file, or null when there is none. */
    DatasetCursor nextDataset() throws UnreadableDatasetException, IOException;
}
