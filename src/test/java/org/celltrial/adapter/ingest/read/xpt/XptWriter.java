package org.celltrial.adapter.ingest.read.xpt;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Test side: writes SAS XPORT v5 files (TS-140) row by row, never holding more than one row, so tests and benchmarks
 * can make files of any size. Numerics are doubles (null for a SAS missing value, a {@code Character} 'A'-'Z' or '_'
 * for a special missing value); character values are Strings, encoded with the writer's charset and blank-padded.
 */
public final class XptWriter implements Closeable {

    /** One variable: numeric of 2-8 bytes or character of any length. */
    public record Column(String name, String label, boolean numeric, int length, String format, int formatLength,
                         int formatDecimals) {
        public static Column character(String name, String label, int length) {
            return new Column(name, label, false, length, "", 0, 0);
        }

        public static Column numeric(String name, String label) {
            return new Column(name, label, true, 8, "", 0, 0);
        }
    }

    private static final String DATE = "01JAN24:00:00:00";

    private final OutputStream out;
    private final Charset charset;
    private final int namestrLength;
    private List<Column> columns;
    private byte[] row;
    private long dataBytes;

    public XptWriter(OutputStream out) throws IOException {
        this(out, StandardCharsets.UTF_8, 140);
    }

    public XptWriter(OutputStream out, Charset charset, int namestrLength) throws IOException {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.charset = charset;
        this.namestrLength = namestrLength;
        record("HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  ");
        record(pad("SAS", 8) + pad("SAS", 8) + pad("SASLIB", 8) + pad("9.4", 8) + pad("X64_10PR", 8) + pad("", 24)
                + DATE);
        record(pad(DATE, 80));
    }

    public void startMember(String name, String label, List<Column> columns) throws IOException {
        endData();
        this.columns = List.copyOf(columns);
        record("HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!000000000000000001600000000" + namestrLength + "  ");
        record("HEADER RECORD*******DSCRPTR HEADER RECORD!!!!!!!000000000000000000000000000000  ");
        record(pad("SAS", 8) + pad(name, 8) + pad("SASDATA", 8) + pad("9.4", 8) + pad("X64_10PR", 8) + pad("", 24)
                + DATE);
        byte[] second = ascii(pad(DATE, 32));
        out.write(second);
        out.write(text(label, 40));
        out.write(ascii(pad("", 8)));
        record("HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!000000" + String.format("%04d", columns.size())
                + "00000000000000000000  ");
        int position = 0;
        long written = 0;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            byte[] namestr = new byte[namestrLength];
            putShort(namestr, 0, c.numeric() ? 1 : 2);
            putShort(namestr, 4, c.length());
            putShort(namestr, 6, i + 1);
            System.arraycopy(ascii(pad(c.name(), 8)), 0, namestr, 8, 8);
            System.arraycopy(text(c.label(), 40), 0, namestr, 16, 40);
            System.arraycopy(ascii(pad(c.format(), 8)), 0, namestr, 56, 8);
            putShort(namestr, 64, c.formatLength());
            putShort(namestr, 66, c.formatDecimals());
            System.arraycopy(ascii(pad("", 8)), 0, namestr, 72, 8);
            namestr[84] = (byte) (position >>> 24);
            namestr[85] = (byte) (position >>> 16);
            namestr[86] = (byte) (position >>> 8);
            namestr[87] = (byte) position;
            out.write(namestr);
            written += namestrLength;
            position += c.length();
        }
        padTo80(written);
        record("HEADER RECORD*******OBS     HEADER RECORD!!!!!!!000000000000000000000000000000  ");
        row = new byte[position];
        dataBytes = 0;
    }

    /** One row: a value per column, in column order. */
    public void row(Object... values) throws IOException {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            Column c = columns.get(i);
            byte[] bytes;
            if (!c.numeric()) {
                bytes = text(values[i] == null ? "" : (String) values[i], c.length());
            } else if (values[i] == null) {
                bytes = IbmFloatEncoder.missing('.', c.length());
            } else if (values[i] instanceof Character kind) {
                bytes = IbmFloatEncoder.missing(kind, c.length());
            } else {
                bytes = IbmFloatEncoder.encode(((Number) values[i]).doubleValue(), c.length());
            }
            System.arraycopy(bytes, 0, row, at, c.length());
            at += c.length();
        }
        out.write(row);
        dataBytes += row.length;
    }

    @Override
    public void close() throws IOException {
        endData();
        out.close();
    }

    private void endData() throws IOException {
        if (columns != null) {
            padTo80(dataBytes);
            columns = null;
        }
    }

    private void padTo80(long written) throws IOException {
        int rest = (int) (written % 80);
        if (rest != 0) {
            byte[] blanks = new byte[80 - rest];
            Arrays.fill(blanks, (byte) ' ');
            out.write(blanks);
        }
    }

    private void record(String text) throws IOException {
        if (text.length() != 80) {
            throw new IllegalStateException("header record of " + text.length() + " bytes");
        }
        out.write(ascii(text));
    }

    private byte[] text(String value, int length) {
        byte[] encoded = value.getBytes(charset);
        byte[] field = new byte[length];
        Arrays.fill(field, (byte) ' ');
        System.arraycopy(encoded, 0, field, 0, Math.min(length, encoded.length));
        return field;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String pad(String text, int length) {
        return String.format("%-" + length + "s", text);
    }

    private static void putShort(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
