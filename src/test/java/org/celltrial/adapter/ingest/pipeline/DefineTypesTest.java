package org.celltrial.adapter.ingest.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefineTypesTest {

    @Test
    void integers() {
        for (String ok : new String[]{"12", "-3", "0", "1.0", "1E3", "+7", "1.000"}) {
            assertThat(DefineTypes.fits("integer", ok)).as(ok).isTrue();
        }
        for (String bad : new String[]{"abc", "1.5", "1,0", "12a", "NaN", "Infinity", "1E-3", "0x10"}) {
            assertThat(DefineTypes.fits("integer", bad)).as(bad).isFalse();
        }
    }

    @Test
    void floats() {
        for (String ok : new String[]{"1.5", "-0.25", "3", "1E3", "8.549999999999999"}) {
            assertThat(DefineTypes.fits("float", ok)).as(ok).isTrue();
        }
        for (String bad : new String[]{"abc", "<0.5", "1,5", "NaN", "1.2.3", "1" + "0".repeat(1000)}) {
            assertThat(DefineTypes.fits("float", bad)).as(bad.length() > 20 ? "a 1,001-digit number" : bad).isFalse();
        }
        assertThat(DefineTypes.fits("float", "1E999999999")).isFalse();
    }

    @Test
    void datesAsSdtmWritesThemPartialOnesIncluded() {
        for (String ok : new String[]{"2014-03-05", "2014-03", "2014", "2014---05", "2014-03-05T10:30", "2014-03-05T10"}) {
            assertThat(DefineTypes.fits("date", ok)).as(ok).isTrue();
            assertThat(DefineTypes.fits("datetime", ok)).as(ok).isTrue();
            assertThat(DefineTypes.fits("partialDatetime", ok)).as(ok).isTrue();
        }
        for (String bad : new String[]{"14/03/2014", "2014-13-01", "2014-02-30", "yesterday", "2014-3-5"}) {
            assertThat(DefineTypes.fits("date", bad)).as(bad).isFalse();
        }
    }

    @Test
    void times() {
        assertThat(DefineTypes.fits("time", "10:30")).isTrue();
        assertThat(DefineTypes.fits("time", "23:59:59.5")).isTrue();
        assertThat(DefineTypes.fits("time", "25:00")).isFalse();
        assertThat(DefineTypes.fits("time", "noon")).isFalse();
    }

    @Test
    void missingValuesFitEveryType() {
        for (String type : new String[]{"integer", "float", "date", "datetime", "time"}) {
            for (String missing : new String[]{"", " ", ".", ".A", "._", "NA", "n/a"}) {
                assertThat(DefineTypes.fits(type, missing)).as(type + " " + missing).isTrue();
            }
            assertThat(DefineTypes.fits(type, null)).isTrue();
            assertThat(DefineTypes.checked(type)).isTrue();
        }
    }

    @Test
    void textDurationsAndUnknownTypesAreNotChecked() {
        for (String type : new String[]{"text", "string", "durationDatetime", "intervalDatetime", "", "URI", null}) {
            assertThat(DefineTypes.checked(type)).as(String.valueOf(type)).isFalse();
            assertThat(DefineTypes.fits(type, "anything at all")).isTrue();
        }
        assertThat(DefineTypes.fits("INTEGER", "x")).as("type names in any case").isFalse();
    }
}
