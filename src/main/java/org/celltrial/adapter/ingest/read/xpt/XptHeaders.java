package org.celltrial.adapter.ingest.read.xpt;

/** The fixed header records of SAS XPORT (TS-140): their first 48 bytes, and how a real header record looks. */
final class XptHeaders {

    static final String LIBRARY = "HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!";
    static final String MEMBER = "HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!";
    static final String DESCRIPTOR = "HEADER RECORD*******DSCRPTR HEADER RECORD!!!!!!!";
    static final String NAMESTR = "HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!";
    static final String OBSERVATIONS = "HEADER RECORD*******OBS     HEADER RECORD!!!!!!!";
    /** XPORT v8/v9 (long names, long labels): another layout; this reader refuses it. */
    static final String LIBRARY_V8 = "HEADER RECORD*******LIBV8   HEADER RECORD!!!!!!!";
    static final String MEMBER_V8 = "HEADER RECORD*******MEMBV8  HEADER RECORD!!!!!!!";
    /** SAS CPORT (PROC CPORT) files start with this banner: a compressed format, not XPORT. */
    static final String CPORT = "**COMPRESSED**";

    private static final int PREFIX = 48;

    private XptHeaders() {
    }

    /**
     * Whether the record is the header record {@code prefix}: the 48-byte prefix, then only digits and blanks. The
     * second test keeps a data row that happens to start with the prefix text from ending a member early.
     */
    static boolean is(byte[] record, String prefix) {
        if (!XptRecords.startsWith(record, prefix)) {
            return false;
        }
        for (int i = PREFIX; i < XptRecords.LENGTH; i++) {
            byte b = record[i];
            if (b != ' ' && (b < '0' || b > '9')) {
                return false;
            }
        }
        return true;
    }

    /** A decimal number written in ASCII digits at the given place of a header record, or -1 if it is not digits. */
    static int digits(byte[] record, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            byte b = record[i];
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }
}
