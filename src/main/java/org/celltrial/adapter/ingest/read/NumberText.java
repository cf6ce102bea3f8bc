package org.celltrial.adapter.ingest.read;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one way every reader writes a number as text, so that the same value gives the same string from XPT, Dataset-JSON
 * or CSV: a plain decimal, no exponent, no trailing zeros, "0" for zero of either sign.
 *
 * <p>Binary floating-point values (SAS numerics, Dataset-JSON {@code float}/{@code double}) are rounded to
 * {@value #BINARY_DIGITS} significant digits first. That is the number of decimal digits a double is guaranteed to
 * carry (DBL_DIG): a value typed as {@code 36.6} and stored as the nearest double or IBM float comes back as
 * {@code 36.6}, and arithmetic noise such as {@code 0.30000000000000004} comes back as {@code 0.3}, which is what SAS
 * itself displays. Exact decimals (Dataset-JSON {@code decimal}, integers) are never rounded.
 */
public final class NumberText {

    /** Significant decimal digits a binary double carries. */
    public static final int BINARY_DIGITS = 15;

    private static final MathContext BINARY = new MathContext(BINARY_DIGITS, RoundingMode.HALF_EVEN);

    private NumberText() {
    }

    /** An exact decimal (integer, Dataset-JSON decimal) written plainly, without rounding. */
    public static String exact(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    /** The exact value of a binary floating-point number, rounded to {@value #BINARY_DIGITS} significant digits. */
    public static String binary(BigDecimal exactValue) {
        if (exactValue.signum() == 0) {
            return "0";
        }
        if (exactValue.precision() <= BINARY_DIGITS) {
            return exact(exactValue);
        }
        return exact(exactValue.round(BINARY));
    }

    /** A finite double, rounded to {@value #BINARY_DIGITS} significant digits. */
    public static String binary(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite number");
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            // integers below 10^15 are exact in a double and have at most 15 digits: the common SDTM case, fast
            return Long.toString((long) value);
        }
        return binary(new BigDecimal(value));
    }
}
