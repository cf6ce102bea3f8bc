package org.celltrial.adapter.ingest.read.xpt;

/**
 * Test side: writes a double as an IBM System/360 hexadecimal float the way SAS does for XPORT, by bit manipulation
 * of the IEEE value (the reader decodes with exact decimal arithmetic instead, so the two are independent).
 * An IEEE double has 53 significant bits and an IBM fraction 56, of which up to 3 lead with zeros after hex
 * normalisation: every double within the IBM range is encoded exactly. A length under 8 keeps the leading bytes.
 */
public final class IbmFloatEncoder {

    /** Largest IBM float: (1 - 16^-14) * 16^63. */
    public static final double MAX = 0x1.fffffffffffffp251;
    /** Smallest normalised IBM float: 16^-65. */
    public static final double MIN_NORMAL = 0x1p-260;

    private IbmFloatEncoder() {
    }

    public static byte[] encode(double value, int length) {
        if (Double.isNaN(value) || Double.isInfinite(value) || Math.abs(value) > MAX) {
            throw new IllegalArgumentException("outside the IBM float range");
        }
        byte[] out = new byte[length];
        if (value == 0 || Math.abs(value) < MIN_NORMAL) {
            return out; // SAS writes zero (and underflow) as all zero bytes
        }
        long bits = Double.doubleToRawLongBits(value);
        int exponent2 = (int) ((bits >>> 52) & 0x7ff);
        long mantissa = (bits & ((1L << 52) - 1)) | (1L << 52); // value = mantissa * 2^(exponent2 - 1075)
        // value = fraction * 2^(4 * (e - 64) - 56) with fraction in [2^52, 2^56): fraction = mantissa << shift
        int unbiased = exponent2 - 1019;
        int shift = Math.floorMod(unbiased, 4);
        int e = 64 + (unbiased - shift) / 4;
        long fraction = mantissa << shift; // in [2^52, 2^56): the leading hex digit is not zero
        int first = e | (value < 0 ? 0x80 : 0);
        byte[] full = new byte[8];
        full[0] = (byte) first;
        for (int i = 7; i >= 1; i--) {
            full[i] = (byte) fraction;
            fraction >>>= 8;
        }
        System.arraycopy(full, 0, out, 0, length);
        return out;
    }

    /** A SAS missing value: {@code .}, {@code .A}-{@code .Z} or {@code ._} given as the character after the dot. */
    public static byte[] missing(char kind, int length) {
        byte[] out = new byte[length];
        out[0] = (byte) kind;
        return out;
    }
}
