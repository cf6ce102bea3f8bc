package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.DatasetCursor;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows of one member. Rows follow each other without gaps across 80-byte records; the member ends at the end of
 * the file or at the next member header record, and its last record is padded with blanks. XPORT v5 stores no row
 * count, so blank bytes that fill the rest of the last record are padding, never rows: a genuine all-blank row (only
 * character variables, all empty) in the last record of a member cannot be told from padding and is not returned.
 */
final class XptCursor implements DatasetCursor {

    private final XptRecords records;
    private final XptLayout layout;
    private final SasText text;
    private final byte[] row;
    private byte[] record;
    private int inRecord = XptRecords.LENGTH;
    private int rowNumber;
    private boolean finished;

    XptCursor(XptRecords records, XptLayout layout, SasText text) {
        this.records = records;
        this.layout = layout;
        this.text = text;
        this.row = new byte[layout.rowLength()];
    }

    @Override
    public DatasetMetadata metadata() {
        return layout.metadata();
    }

    @Override
    public DatasetRow next() throws UnreadableDatasetException, IOException {
        if (finished) {
            return null;
        }
        if (atEndOfMember()) {
            finished = true;
            return null;
        }
        int number = rowNumber + 1;
        long rowOffset = records.offset() - XptRecords.LENGTH + inRecord;
        int filled = 0;
        while (filled < row.length) {
            if (inRecord == XptRecords.LENGTH) {
                byte[] nextRecord = records.peek();
                if (nextRecord == null || XptHeaders.is(nextRecord, XptHeaders.MEMBER)) {
                    throw new UnreadableDatasetException(records.fileName() + ": row " + number + " of member "
                            + layout.metadata().name() + " (byte offset " + rowOffset + ") is cut short: "
                            + (nextRecord == null ? "the file ends" : "the next member starts") + " after " + filled
                            + " of its " + row.length + " bytes (truncated file)");
                }
                record = records.take("row data");
                inRecord = 0;
            }
            int n = Math.min(row.length - filled, XptRecords.LENGTH - inRecord);
            System.arraycopy(record, inRecord, row, filled, n);
            filled += n;
            inRecord += n;
        }
        rowNumber = number;
        return DatasetRow.of(number, values());
    }

    private Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>(layout.fields().size() * 2);
        for (XptLayout.Field field : layout.fields()) {
            String value = field.numeric()
                    ? IbmFloat.text(row, field.position(), field.length())
                    : text.decode(row, field.position(), field.length());
            values.put(field.name(), value);
        }
        return values;
    }

    /** At a row start: whether the member has no more rows (end of file, next member, or only padding left). */
    private boolean atEndOfMember() throws IOException, UnreadableDatasetException {
        if (inRecord == XptRecords.LENGTH) {
            byte[] nextRecord = records.peek();
            if (nextRecord == null || XptHeaders.is(nextRecord, XptHeaders.MEMBER)) {
                return true;
            }
            record = records.take("row data");
            inRecord = 0;
        }
        byte[] nextRecord = records.peek();
        boolean lastRecord = nextRecord == null || XptHeaders.is(nextRecord, XptHeaders.MEMBER);
        if (!lastRecord) {
            return false;
        }
        for (int i = inRecord; i < XptRecords.LENGTH; i++) {
            if (record[i] != ' ') {
                return false;
            }
        }
        inRecord = XptRecords.LENGTH;
        return true;
    }

    /** Reads past the rows not asked for, so that the next member can be found. */
    void skipRest() throws IOException, UnreadableDatasetException {
        while (next() != null) {
            // rows are decoded and dropped: skipping is rare (a caller that stops early) and this keeps one code path
        }
    }

    @Override
    public void close() {
        // the stream belongs to the source; an unread rest is skipped by XptSource when the next member is asked for
    }
}
