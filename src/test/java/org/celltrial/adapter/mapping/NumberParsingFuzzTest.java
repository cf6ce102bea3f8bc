package org.celltrial.adapter.mapping;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hl7.fhir.r4.model.DecimalType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the mapping engine's number parsing ({@link FieldRule#number}) and missing-value detection
 * ({@link MissingValues}). The contract: a number is read or refused with a {@link RecordMappingException} naming the
 * column; a number read has at most 30 digits before and after the point, so its plain text is short whatever the
 * exponent ({@code 1E999999999} must not make a billion-digit string), never a negative scale, the same value as
 * written, and HAPI's decimal takes it. Regression inputs:
 * {@code src/test/resources/org/celltrial/adapter/mapping/NumberParsingFuzzTestInputs/}; {@code src/bench/fuzz.sh} fuzzes.
 */
class NumberParsingFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void anyTextIsABoundedNumberOrRefusedNamingTheColumn(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        BigDecimal n;
        try {
            n = FieldRule.number("EXDOSE", text);
        } catch (RecordMappingException e) {
            assertThat(e.column()).isEqualTo("EXDOSE");
            assertThat(e.getMessage()).matches("(?s)'.*' is (not a number|out of range)");
            return;
        }
        assertThat(n.scale()).isBetween(0, 30);
        assertThat(n.precision() - n.scale()).isLessThanOrEqualTo(30);
        assertThat(n.toPlainString().length()).isLessThanOrEqualTo(63);
        assertThat(n.compareTo(new BigDecimal(text.trim()))).isZero();
        assertThat(new DecimalType(n).getValue().compareTo(n)).isZero();
        // SAS missing values are never numbers; the adapter reads them as empty before numbers are parsed
        assertThat(MissingValues.isSasMissing(text)).isFalse();
    }

    @FuzzTest(maxDuration = "5m")
    void missingValuesAreOnlyTheSasAndRSpellings(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        if (MissingValues.isSasMissing(text)) {
            assertThat(text).matches("\\.[A-Za-z_]?");
        }
        if (MissingValues.isNotAvailable(text)) {
            assertThat(text.trim()).isIn("NA", "na", "Na", "nA", "N/A", "n/a", "N/a", "n/A");
        }
    }
}
