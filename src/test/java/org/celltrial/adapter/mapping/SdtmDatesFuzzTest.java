package org.celltrial.adapter.mapping;

import ca.uhn.fhir.parser.DataFormatException;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the mapping engine's date parsing ({@link SdtmDates}) and study-day arithmetic. The contract: a value is
 * converted or refused with a {@link RecordMappingException} naming the column; what comes out is a valid FHIR R4
 * {@code date} / {@code dateTime} (the R4 regular expressions, and HAPI parses it); the date of a dateTime is the
 * date ({@code toFhirDateTime} starts with {@code toFhirDate}); converting the result again gives the same result; a
 * full date gives the same {@link LocalDate}. Regression inputs:
 * {@code src/test/resources/org/celltrial/adapter/mapping/SdtmDatesFuzzTestInputs/}; {@code src/bench/fuzz.sh} fuzzes.
 */
class SdtmDatesFuzzTest {

    /** FHIR R4 date and dateTime (http://hl7.org/fhir/R4/datatypes.html). */
    private static final Pattern FHIR_DATE = Pattern.compile(
            "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?");
    private static final Pattern FHIR_DATE_TIME = Pattern.compile(
            "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])"
                    + "(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?)?)?"
                    + "(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)?)?)?");

    @FuzzTest(maxDuration = "5m")
    void anyTextIsAValidFhirDateOrRefusedNamingTheColumn(byte[] data) {
        String value = new String(data, StandardCharsets.UTF_8);
        String date;
        try {
            date = SdtmDates.toFhirDate("AESTDTC", value);
        } catch (RecordMappingException e) {
            assertThat(e.column()).isEqualTo("AESTDTC");
            assertThat(e.getMessage()).isNotBlank();
            assertRefusedEverywhere(value);
            return;
        }
        assertThat(date).as("FHIR date from '%s'", value).matches(FHIR_DATE);
        new DateType(date); // HAPI parses it
        assertThat(SdtmDates.toFhirDate("AESTDTC", date)).isEqualTo(date);

        String dateTime = SdtmDates.toFhirDateTime("AESTDTC", value, "Z");
        assertThat(dateTime).as("FHIR dateTime from '%s'", value).matches(FHIR_DATE_TIME).startsWith(date);
        try {
            new DateTimeType(dateTime);
        } catch (DataFormatException e) {
            throw new AssertionError("HAPI refuses the dateTime '" + dateTime + "' made from '" + value + "'", e);
        }
        assertThat(SdtmDates.toFhirDateTime("AESTDTC", dateTime, "Z")).isEqualTo(dateTime);

        LocalDate local = SdtmDates.toLocalDate("AESTDTC", value);
        if (date.length() == 10) {
            assertThat(local).isNotNull();
            assertThat(local.toString()).isEqualTo(date);
        } else {
            assertThat(local).isNull();
        }
    }

    private static void assertRefusedEverywhere(String value) {
        for (Runnable r : new Runnable[]{() -> SdtmDates.toFhirDateTime("AESTDTC", value, "Z"),
                () -> SdtmDates.toLocalDate("AESTDTC", value)}) {
            try {
                r.run();
                throw new AssertionError("'" + value + "' refused as a date but accepted elsewhere");
            } catch (RecordMappingException expected) {
                assertThat(expected.column()).isEqualTo("AESTDTC");
            }
        }
    }

    /** A study day from any reference date: a calendar date, or a clear refusal (never a DateTimeException). */
    @FuzzTest(maxDuration = "5m")
    void anyStudyDayIsADateOrRefused(FuzzedDataProvider in) {
        long epochDay = in.consumeLong();
        int day = in.consumeInt();
        LocalDate reference = LocalDate.ofEpochDay(Math.floorMod(epochDay, 3_000_000L)); // years 1970 to ~10 183
        LocalDate date;
        try {
            date = SdtmDates.dateOfStudyDay(reference, day);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(day).isNotZero();
        assertThat(date.toEpochDay() - reference.toEpochDay()).isEqualTo(day > 0 ? day - 1L : day);
    }
}
