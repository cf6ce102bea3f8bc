package org.celltrial.adapter.mapping;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ISO 8601 dates as SDTM writes them (--DTC), converted to FHIR date / dateTime strings.
 * SDTM allows partial values ("2014", "2014-03", "2014-03-05T10") and omits seconds and time zone;
 * FHIR wants a time with seconds and a zone, so a time gains ":00" seconds and the configured zone.
 * Unknown middle components ("2014---05") cannot be expressed in FHIR and are truncated to the known prefix.
 */
public final class SdtmDates {

    private static final Pattern ISO = Pattern.compile(
            "(\\d{4}|-)(?:-(\\d{2}|-)(?:-(\\d{2}|-)(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})(\\.\\d+)?)?)?"
                    + "(Z|[+-]\\d{2}:\\d{2})?)?)?)?");

    private SdtmDates() {
    }

    /** A FHIR {@code date}: keeps year / year-month / full date precision and drops any time. */
    public static String toFhirDate(String column, String value) {
        Parsed p = parse(column, value);
        return p.datePart();
    }

    /** A FHIR {@code dateTime}; a time is completed with seconds and {@code zone} when it has none. */
    public static String toFhirDateTime(String column, String value, String zone) {
        Parsed p = parse(column, value);
        if (p.hour == null || p.day == null) {
            return p.datePart();
        }
        String minute = p.minute == null ? "00" : p.minute;
        String second = p.second == null ? "00" : p.second;
        String frac = p.fraction == null ? "" : p.fraction;
        String tz = p.zone == null ? zone : p.zone;
        return p.datePart() + "T" + p.hour + ":" + minute + ":" + second + frac + tz;
    }

    /** The calendar date of a full-precision value, or null when the value is partial. */
    public static LocalDate toLocalDate(String column, String value) {
        Parsed p = parse(column, value);
        if (p.day == null) {
            return null;
        }
        return LocalDate.of(Integer.parseInt(p.year), Integer.parseInt(p.month), Integer.parseInt(p.day));
    }

    /**
     * The date of SDTM study day {@code day} given the reference start date (day 1). SDTM has no day 0:
     * day -1 is the day before the reference date.
     */
    public static LocalDate dateOfStudyDay(LocalDate referenceStart, int day) {
        if (day == 0) {
            throw new IllegalArgumentException("SDTM study days have no day 0");
        }
        return referenceStart.plusDays(day > 0 ? day - 1L : day);
    }

    private static Parsed parse(String column, String raw) {
        String value = raw.trim();
        Matcher m = ISO.matcher(value);
        if (!m.matches() || "-".equals(m.group(1))) {
            throw new RecordMappingException(column,
                    "'" + value + "' is not an ISO 8601 date (expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss])");
        }
        Parsed p = new Parsed();
        p.year = m.group(1);
        p.month = known(m.group(2));
        p.day = p.month == null ? null : known(m.group(3));
        boolean fullDate = p.day != null;
        p.hour = fullDate ? m.group(4) : null;
        p.minute = p.hour == null ? null : m.group(5);
        p.second = p.minute == null ? null : m.group(6);
        p.fraction = p.second == null ? null : m.group(7);
        p.zone = m.group(8);
        // FHIR has no year 0000, at most 9 decimals of a second and zones from -14:00 to +14:00 (found by fuzzing:
        // these made FHIR values HAPI refuses or stores invalid)
        checkRange(column, value, !"0000".equals(p.year));
        if (p.fraction != null && p.fraction.length() > 10) {
            throw new RecordMappingException(column, "'" + value + "' has more than 9 decimals of a second");
        }
        if (p.zone != null && !p.zone.equals("Z")) {
            int zoneHours = Integer.parseInt(p.zone.substring(1, 3));
            int zoneMinutes = Integer.parseInt(p.zone.substring(4, 6));
            checkRange(column, value, zoneMinutes <= 59 && (zoneHours < 14 || (zoneHours == 14 && zoneMinutes == 0)));
        }
        if (p.month != null) {
            checkRange(column, value, Integer.parseInt(p.month) >= 1 && Integer.parseInt(p.month) <= 12);
        }
        if (fullDate) {
            try {
                LocalDate.of(Integer.parseInt(p.year), Integer.parseInt(p.month), Integer.parseInt(p.day));
            } catch (RuntimeException e) {
                checkRange(column, value, false);
            }
        }
        if (p.hour != null) {
            // checked here, not only for dateTime targets: a date target or RFSTDTC must not accept "T25:00"
            checkRange(column, value, Integer.parseInt(p.hour) <= 23
                    && (p.minute == null || Integer.parseInt(p.minute) <= 59)
                    && (p.second == null || Integer.parseInt(p.second) <= 59));
        }
        return p;
    }

    private static void checkRange(String column, String value, boolean ok) {
        if (!ok) {
            throw new RecordMappingException(column, "'" + value + "' is not a valid calendar date/time");
        }
    }

    private static String known(String part) {
        return part == null || "-".equals(part) ? null : part;
    }

    private static final class Parsed {
        String year;
        String month;
        String day;
        String hour;
        String minute;
        String second;
        String fraction;
        String zone;

        String datePart() {
            StringBuilder sb = new StringBuilder(year);
            if (month != null) {
                sb.append('-').append(month);
                if (day != null) {
                    sb.append('-').append(day);
                }
            }
            return sb.toString();
        }
    }
}
