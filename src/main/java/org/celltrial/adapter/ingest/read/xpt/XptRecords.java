package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An XPORT file as what it is made of: 80-byte records, read one at a time with one record of look-ahead (a
 * member's data ends where the next member header record starts, which can only be seen by looking at it).
 */
final class XptRecords {

    static final int LENGTH = 80;

    private final InputStream in;
    private final String fileName;
    private byte[] ahead;
    private boolean atEnd;
    private long nextOffset;

    XptRecords(InputStream in, String fileName) {
        this.in = in;
        this.fileName = fileName;
    }

    String fileName() {
        return fileName;
    }

    /** Byte offset of the record {@link #take()} returns next. */
    long offset() {
        return nextOffset;
    }

    /** The next record without consuming it, or null at the end of the file. */
    byte[] peek() throws IOException, UnreadableDatasetException {
        if (ahead == null && !atEnd) {
            byte[] record = new byte[LENGTH];
            int read = in.readNBytes(record, 0, LENGTH);
            if (read == 0) {
                atEnd = true;
            } else if (read < LENGTH) {
                throw new UnreadableDatasetException(fileName + ": the file ends inside an 80-byte record at byte offset "
                        + (nextOffset + read) + " (XPORT files are whole 80-byte records; the file is truncated)");
            } else {
                ahead = record;
            }
        }
        return ahead;
    }

    /** The next record, consumed; fails naming {@code what} was expected if the file ends. */
    byte[] take(String what) throws IOException, UnreadableDatasetException {
        byte[] record = peek();
        if (record == null) {
            throw new UnreadableDatasetException(fileName + ": the file ends at byte offset " + nextOffset
                    + " where " + what + " was expected (truncated file)");
        }
        ahead = null;
        nextOffset += LENGTH;
        return record;
    }

    /** Whether the record starts with the given ASCII text. */
    static boolean startsWith(byte[] record, String prefix) {
        if (record == null || record.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (record[i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** ASCII text of a header field, trailing blanks removed (header fields are ASCII; other bytes read as Latin-1). */
    static String ascii(byte[] record, int from, int length) {
        int end = from + length;
        while (end > from && (record[end - 1] == ' ' || record[end - 1] == 0)) {
            end--;
        }
        return new String(record, from, end - from, StandardCharsets.ISO_8859_1);
    }
}
