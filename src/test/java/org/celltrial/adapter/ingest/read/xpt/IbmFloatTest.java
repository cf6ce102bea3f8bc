package org.celltrial.adapter.ingest.read.xpt;

import org.celltrial.adapter.ingest.read.NumberText;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of the IBM float decoding against an independent encoder ({@link IbmFloatEncoder}, bit
 * manipulation of IEEE doubles) and an independent model of truncation (exact decimal arithmetic).
 */
class IbmFloatTest {

    private static final long SEED = 20260201L;
    private final Random random = new Random(SEED);

    @Test
    void everyDoubleInTheIbmRangeDecodesToExactlyItself() {
        for (int i = 0; i < 20_000; i++) {
            double value = randomDoubleInIbmRange();
            byte[] ibm = IbmFloatEncoder.encode(value, 8);
            assertThat(IbmFloat.exact(ibm, 0, 8)).as("seed %d, value %s", SEED, value)
                    .isEqualByComparingTo(new BigDecimal(value));
        }
    }

    @Test
    void decimalsOfUpToFifteenDigitsComeBackAsTyped() {
        for (int i = 0; i < 20_000; i++) {
            int digits = 1 + random.nextInt(15);
            BigDecimal typed = new BigDecimal(new java.math.BigInteger(digits * 4, random)
                    .mod(java.math.BigInteger.TEN.pow(digits)), random.nextInt(30) - 10);
            if (random.nextBoolean()) {
                typed = typed.negate();
            }
            double stored = typed.doubleValue(); // what SAS holds after reading "36.6"
            String text = IbmFloat.text(IbmFloatEncoder.encode(stored, 8), 0, 8);
            String expected = typed.signum() == 0 ? "0" : typed.stripTrailingZeros().toPlainString();
            assertThat(text).as("seed %d, typed %s", SEED, typed).isEqualTo(expected);
        }
    }

    @Test
    void edgeCases() {
        assertThat(text(0.0)).isEqualTo("0");
        assertThat(text(-0.0)).isEqualTo("0");
        assertThat(IbmFloat.text(new byte[]{(byte) 0x80, 0, 0, 0, 0, 0, 0, 0}, 0, 8)).isEqualTo("0");
        assertThat(text(1)).isEqualTo("1");
        assertThat(text(-1)).isEqualTo("-1");
        assertThat(text(0.1)).isEqualTo("0.1");
        assertThat(text(36.6)).isEqualTo("36.6");
        assertThat(text(0.1 + 0.2)).isEqualTo("0.3"); // 0.30000000000000004: arithmetic noise is not data
        assertThat(text(-3.25)).isEqualTo("-3.25");
        assertThat(text(1e15)).isEqualTo("1000000000000000");
        assertThat(text(123456789012345678.0)).isEqualTo("123456789012346000");
        assertThat(text(IbmFloatEncoder.MAX)).startsWith("7237005577332260000").hasSize(76);
        assertThat(text(IbmFloatEncoder.MIN_NORMAL)).startsWith("0.0000").endsWith("539760534693403");
        assertThat(text(-IbmFloatEncoder.MIN_NORMAL)).startsWith("-0.0000");
        // textbook example (IBM manual): -118.625 is C2 76 A0 00 00 00 00 00
        assertThat(IbmFloatEncoder.encode(-118.625, 8))
                .containsExactly(0xC2, 0x76, 0xA0, 0, 0, 0, 0, 0);
        assertThat(IbmFloat.text(new byte[]{(byte) 0xC2, 0x76, (byte) 0xA0, 0, 0, 0, 0, 0}, 0, 8)).isEqualTo("-118.625");
    }

    @Test
    void missingValuesOfEveryKindAndLengthAreEmpty() {
        String kinds = ".ABCDEFGHIJKLMNOPQRSTUVWXYZ_";
        for (int length = 2; length <= 8; length++) {
            for (char kind : kinds.toCharArray()) {
                assertThat(IbmFloat.text(IbmFloatEncoder.missing(kind, length), 0, length)).isEmpty();
            }
        }
        // a '.' exponent byte with a fraction is a (tiny) number, not a missing value
        assertThat(IbmFloat.text(new byte[]{0x2E, 0x10, 0, 0, 0, 0, 0, 0}, 0, 8)).isNotEmpty();
    }

    @Test
    void truncatedLengthsKeepTheLeadingBytesOfTheFraction() {
        for (int i = 0; i < 5_000; i++) {
            double value = i % 10 == 0 ? randomDoubleInIbmRange() : (random.nextInt(2_000_000) - 1_000_000) / 100.0;
            int length = 2 + random.nextInt(7);
            BigDecimal decoded = IbmFloat.exact(IbmFloatEncoder.encode(value, length), 0, length);
            assertThat(decoded).as("seed %d, value %s, length %d", SEED, value, length)
                    .isEqualByComparingTo(truncatedModel(value, length));
            assertThat(IbmFloat.text(IbmFloatEncoder.encode(value, length), 0, length))
                    .isEqualTo(NumberText.binary(truncatedModel(value, length)));
        }
        // 36.6 is 42 24 99 99 ...: in 3 bytes the fraction 0x2499 / 2^8 = 9369 / 256 is left
        assertThat(IbmFloat.text(IbmFloatEncoder.encode(36.6, 3), 0, 3)).isEqualTo("36.59765625");
    }

    /**
     * Truncation modelled in decimal arithmetic, independently of the bit layout: with 16^(e-1) <= |v| < 16^e, a value
     * stored in n bytes keeps floor(|v| / 16^e * 2^(8(n-1))) units of 16^e / 2^(8(n-1)).
     */
    private static BigDecimal truncatedModel(double value, int length) {
        if (value == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal magnitude = new BigDecimal(Math.abs(value));
        int e = Math.floorDiv(Math.getExponent(value), 4) + 1; // a first guess; the loops below decide
        while (magnitude.compareTo(power16(e)) >= 0) {
            e++;
        }
        while (magnitude.compareTo(power16(e - 1)) < 0) {
            e--;
        }
        int unitPower = 4 * e - 8 * (length - 1); // unit = 2^unitPower
        BigDecimal kept = magnitude.multiply(powerOf2(-unitPower)).setScale(0, RoundingMode.FLOOR)
                .multiply(powerOf2(unitPower));
        return value < 0 ? kept.negate() : kept;
    }

    private static BigDecimal power16(int e) {
        return powerOf2(4 * e);
    }

    /** 2^k exactly: 2^-k is 5^k / 10^k. */
    private static BigDecimal powerOf2(int k) {
        return k >= 0 ? new BigDecimal(java.math.BigInteger.TWO.pow(k))
                : new BigDecimal(java.math.BigInteger.valueOf(5).pow(-k), -k);
    }

    private double randomDoubleInIbmRange() {
        switch (random.nextInt(4)) {
            case 0:
                return (random.nextDouble() - 0.5) * 1e6;
            case 1:
                return random.nextGaussian();
            default:
                double magnitude = Math.pow(2, -259 + random.nextDouble() * 510) * (1 + random.nextDouble());
                magnitude = Math.min(magnitude, IbmFloatEncoder.MAX);
                return random.nextBoolean() ? magnitude : -magnitude;
        }
    }

    private static String text(double value) {
        return IbmFloat.text(IbmFloatEncoder.encode(value, 8), 0, 8);
    }
}
