package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.NumberText;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * IBM System/360 hexadecimal floating point as SAS XPORT stores numerics: a sign bit, a 7-bit power-of-16 exponent
 * biased by 64, and a fraction of up to 56 bits in the remaining bytes. SAS may store 2 to 8 bytes: shorter variables
 * are the leading bytes of the 8-byte value (the fraction truncated), so a length-n value is decoded as if the
 * missing bytes were zero.
 *
 * <p>SAS missing values have a first byte of {@code .} (0x2E), {@code A}-{@code Z} or {@code _} and zero in every
 * other byte; they all read as "".
 */
final class IbmFloat {

    /** 5^k for every k an IBM float can need (the fraction has 56 bits, the exponent reaches 16^-64). */
    private static final BigInteger[] FIVE_POWERS = new BigInteger[56 + 4 * 64 + 1];

    static {
        FIVE_POWERS[0] = BigInteger.ONE;
        for (int k = 1; k < FIVE_POWERS.length; k++) {
            FIVE_POWERS[k] = FIVE_POWERS[k - 1].multiply(BigInteger.valueOf(5));
        }
    }

    private IbmFloat() {
    }

    /** The value as SDTM text: "" for a SAS missing value, otherwise {@link NumberText#binary(BigDecimal)}. */
    static String text(byte[] bytes, int offset, int length) {
        if (isMissing(bytes, offset, length)) {
            return "";
        }
        String integer = smallInteger(bytes, offset, length);
        return integer != null ? integer : NumberText.binary(exact(bytes, offset, length));
    }

    static boolean isMissing(byte[] bytes, int offset, int length) {
        int first = bytes[offset] & 0xff;
        if (first != '.' && first != '_' && (first < 'A' || first > 'Z')) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            if (bytes[offset + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value as a plain integer when it is one below 10^15 (sequence numbers, study days, visit numbers: most SDTM
     * numerics), without going through BigDecimal; null otherwise.
     */
    private static String smallInteger(byte[] bytes, int offset, int length) {
        int first = bytes[offset] & 0xff;
        long fraction = 0;
        for (int i = 1; i < length; i++) {
            fraction = (fraction << 8) | (bytes[offset + i] & 0xff);
        }
        fraction <<= 8 * (8 - length);
        if (fraction == 0) {
            return "0";
        }
        int k = 56 - 4 * ((first & 0x7f) - 64); // value = fraction / 2^k
        if (k < 0 || k >= 64 || (fraction & ((1L << k) - 1)) != 0) {
            return null;
        }
        long value = fraction >>> k;
        if (value >= 1_000_000_000_000_000L) {
            return null;
        }
        return Long.toString((first & 0x80) != 0 ? -value : value);
    }

    /** The exact value the bytes encode (every IBM float is a finite binary fraction, so it has an exact decimal). */
    static BigDecimal exact(byte[] bytes, int offset, int length) {
        int first = bytes[offset] & 0xff;
        long fraction = 0;
        for (int i = 1; i < length; i++) {
            fraction = (fraction << 8) | (bytes[offset + i] & 0xff);
        }
        fraction <<= 8 * (8 - length); // a truncated value is the leading bytes of the 8-byte one
        if (fraction == 0) {
            return BigDecimal.ZERO;
        }
        if ((first & 0x80) != 0) {
            fraction = -fraction;
        }
        // value = fraction / 2^56 * 16^(exponent - 64) = fraction * 2^(4 * (exponent - 64) - 56)
        int powerOfTwo = 4 * ((first & 0x7f) - 64) - 56;
        BigInteger unscaled = BigInteger.valueOf(fraction);
        if (powerOfTwo >= 0) {
            return new BigDecimal(unscaled.shiftLeft(powerOfTwo));
        }
        int k = -powerOfTwo;
        // m * 2^-k = m * 5^k / 10^k, exact
        return new BigDecimal(unscaled.multiply(FIVE_POWERS[k]), k);
    }
}
