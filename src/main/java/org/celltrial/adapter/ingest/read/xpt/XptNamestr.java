package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.util.Locale;

/**
 * One namestr record (TS-140): a variable's type, length, name, label, display format and position in the row. The
 * numbers are big-endian; the 52 (VAX: 48) trailing bytes are unused.
 */
record XptNamestr(int type, int length, String name, String label, String displayFormat, int position) {

    static XptNamestr parse(byte[] b, SasText text) {
        int type = shortAt(b, 0);
        int length = shortAt(b, 4);
        String name = XptRecords.ascii(b, 8, 8).trim().toUpperCase(Locale.ROOT);
        String label = text.decode(b, 16, 40).trim();
        String format = XptRecords.ascii(b, 56, 8).trim();
        int formatLength = shortAt(b, 64);
        int formatDecimals = shortAt(b, 66);
        int position = ((b[84] & 0xff) << 24) | ((b[85] & 0xff) << 16) | ((b[86] & 0xff) << 8) | (b[87] & 0xff);
        return new XptNamestr(type, length, name, label, displayFormat(format, formatLength, formatDecimals), position);
    }

    boolean numeric() {
        return type == 1;
    }

    /** Fails, naming {@code where}, for a namestr no SAS could have written. */
    void check(String where) throws UnreadableDatasetException {
        if (type != 1 && type != 2) {
            throw new UnreadableDatasetException(where + " has type " + type + "; only 1 (numeric) and 2 (character)"
                    + " exist");
        }
        if (name.isEmpty()) {
            throw new UnreadableDatasetException(where + " has no name");
        }
        if (numeric() && (length < 2 || length > 8)) {
            throw new UnreadableDatasetException(where + " is numeric with length " + length
                    + "; numerics are 2 to 8 bytes");
        }
        if (!numeric() && (length < 1 || length > XptMemberHeader.MAX_CHARACTER_LENGTH)) {
            throw new UnreadableDatasetException(where + " is character with length " + length
                    + "; character variables are 1 to " + XptMemberHeader.MAX_CHARACTER_LENGTH + " bytes");
        }
        if (position < 0) {
            throw new UnreadableDatasetException(where + " has a negative position in the row");
        }
    }

    /** SAS writes a format as name, width, ".", decimals: {@code DATE9.}, {@code 8.2}, {@code $CHAR20.}. */
    private static String displayFormat(String format, int width, int decimals) {
        if (format.isEmpty() && width <= 0) {
            return "";
        }
        return format + (width > 0 ? Integer.toString(width) : "") + "." + (decimals > 0 ? Integer.toString(decimals) : "");
    }

    private static int shortAt(byte[] b, int at) {
        return (short) (((b[at] & 0xff) << 8) | (b[at + 1] & 0xff));
    }
}
