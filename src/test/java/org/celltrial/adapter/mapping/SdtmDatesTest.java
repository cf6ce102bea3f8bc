package org.celltrial.adapter.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SdtmDatesTest {

    @ParameterizedTest(name = "{0} -> date {1}")
    @CsvSource({
            "2014-03-05,        2014-03-05",
            "2014-03,           2014-03",
            "2014,              2014",
            "2014-03-05T10:30,  2014-03-05",
            "2014---05,         2014",
            "2014-03--T10:30,   2014-03",
            "' 2014-03-05 ',    2014-03-05",
    })
    void fhirDateKeepsThePrecisionSdtmGives(String sdtm, String fhir) {
        assertThat(SdtmDates.toFhirDate("BRTHDTC", sdtm)).isEqualTo(fhir);
    }

    @ParameterizedTest(name = "{0} -> dateTime {1}")
    @CsvSource({
            "2014-03-05,                2014-03-05",
            "2014-03,                   2014-03",
            "2014,                      2014",
            "2014-03-05T10:30,          2014-03-05T10:30:00Z",
            "2014-03-05T10,             2014-03-05T10:00:00Z",
            "2014-03-05T10:30:15,       2014-03-05T10:30:15Z",
            "2014-03-05T10:30:15.250,   2014-03-05T10:30:15.250Z",
            "2014-03-05T10:30+03:30,    2014-03-05T10:30:00+03:30",
            "2014-03-05T10:30:15-05:00, 2014-03-05T10:30:15-05:00",
            "2014-03-05T23:59:59Z,      2014-03-05T23:59:59Z",
            "2014---05,                 2014",
    })
    void fhirDateTimeCompletesSecondsAndZone(String sdtm, String fhir) {
        assertThat(SdtmDates.toFhirDateTime("AESTDTC", sdtm, "Z")).isEqualTo(fhir);
    }

    @Test
    void configuredZoneIsUsedOnlyWhenTheValueHasNone() {
        assertThat(SdtmDates.toFhirDateTime("EXSTDTC", "2022-04-12T10:30", "+03:30")).isEqualTo("2022-04-12T10:30:00+03:30");
        assertThat(SdtmDates.toFhirDateTime("EXSTDTC", "2022-04-12T10:30Z", "+03:30")).isEqualTo("2022-04-12T10:30:00Z");
        assertThat(SdtmDates.toFhirDateTime("EXSTDTC", "2022-04-12", "+03:30")).isEqualTo("2022-04-12");
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {"2014-13-01", "2014-00-10", "2014-02-30", "2023-02-29", "14/03/2014", "2014-3-5", "abc",
            "2014-03-05 10:30", "2014-03T10:30", "---05", "2014-03-05T24:00", "2014-03-05T10:60", "20140305"})
    void malformedValuesAreRejectedNamingTheColumn(String sdtm) {
        RecordMappingException e = catchThrowableOfType(RecordMappingException.class,
                () -> SdtmDates.toFhirDateTime("AESTDTC", sdtm, "Z"));
        assertThat(e).as("%s must be rejected", sdtm).isNotNull();
        assertThat(e.column()).isEqualTo("AESTDTC");
        assertThat(e.getMessage()).contains(sdtm.trim());
    }

    @ParameterizedTest(name = "{0} is rejected for a date target too")
    @ValueSource(strings = {"2014-13-01", "2014-02-30", "14/03/2014", "2014-3-5", "abc", "2014-03-05T25:00", "2014-03-05T10:75"})
    void malformedValuesAreRejectedForDateTargets(String sdtm) {
        assertThatThrownBy(() -> SdtmDates.toFhirDate("BRTHDTC", sdtm))
                .isInstanceOf(RecordMappingException.class)
                .satisfies(e -> assertThat(((RecordMappingException) e).column()).isEqualTo("BRTHDTC"));
    }

    @Test
    void leapDayIsAValidDate() {
        assertThat(SdtmDates.toFhirDate("BRTHDTC", "2024-02-29")).isEqualTo("2024-02-29");
    }

    @Test
    void localDateOnlyForFullPrecision() {
        assertThat(SdtmDates.toLocalDate("RFSTDTC", "2022-01-25")).isEqualTo(LocalDate.of(2022, 1, 25));
        assertThat(SdtmDates.toLocalDate("RFSTDTC", "2022-01-25T09:45")).isEqualTo(LocalDate.of(2022, 1, 25));
        assertThat(SdtmDates.toLocalDate("RFSTDTC", "2022-01")).isNull();
        assertThat(SdtmDates.toLocalDate("RFSTDTC", "2022")).isNull();
        assertThatThrownBy(() -> SdtmDates.toLocalDate("RFSTDTC", "2022-01-32"))
                .isInstanceOf(RecordMappingException.class);
    }

    @ParameterizedTest(name = "day {1} of a study starting {0} is {2}")
    @CsvSource({
            "2022-01-25,   1, 2022-01-25",
            "2022-01-25,   8, 2022-02-01",
            "2022-01-25,  -1, 2022-01-24",
            "2022-01-25,  -7, 2022-01-18",
            "2021-05-18, 359, 2022-05-11",
            "2024-02-28,   2, 2024-02-29",
            "2022-03-01,  -1, 2022-02-28",
    })
    void dateOfStudyDayHasNoDayZero(LocalDate start, int day, LocalDate expected) {
        assertThat(SdtmDates.dateOfStudyDay(start, day)).isEqualTo(expected);
    }

    @Test
    void studyDayZeroDoesNotExist() {
        assertThatThrownBy(() -> SdtmDates.dateOfStudyDay(LocalDate.of(2022, 1, 25), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no day 0");
    }
}
