package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.io.InputStream;

/** The members of one XPORT library file, in file order. */
final class XptSource implements DatasetSource {

    private final InputStream in;
    private final XptRecords records;
    private final SasText text = new SasText();
    private XptCursor current;

    XptSource(InputStream in, XptRecords records) {
        this.in = in;
        this.records = records;
    }

    @Override
    public DatasetCursor nextDataset() throws UnreadableDatasetException, IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        if (records.peek() == null) {
            return null;
        }
        current = new XptCursor(records, XptMemberHeader.read(records, text), text);
        return current;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
