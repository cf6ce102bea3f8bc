package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.mapping.MissingValues;
import org.celltrial.adapter.mapping.RecordMappingException;
import org.celltrial.adapter.mapping.SdtmDates;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a value fits the DataType a Define-XML declares for its variable (Define-XML 2.x data types). Missing values
 * (empty, SAS {@code .}/{@code .A}, and R's {@code NA} where the type is a number or a date, which can never hold the
 * word) always fit: "no value" is not a type error. Only types with a clear written form are checked:
 * <ul>
 *   <li>{@code integer}: a number with no fraction ({@code 12}, {@code 1.0} and {@code 1E3} are integers: SAS and R
 *       export whole numbers so);</li>
 *   <li>{@code float} (and {@code double}, {@code decimal}): any finite number;</li>
 *   <li>{@code date}, {@code datetime}, {@code partialDate}, {@code partialDatetime}, {@code incompleteDatetime}: an
 *       ISO 8601 date or date-time as SDTM writes it, partial and with unknown parts included, by the very rules the
 *       mapping applies to dates ({@link SdtmDates}): sponsors declare partial --DTC values as {@code date} or
 *       {@code datetime}, so precision is not checked;</li>
 *   <li>{@code time}, {@code partialTime}: {@code hh}, {@code hh:mm} or {@code hh:mm:ss[.f]}.</li>
 * </ul>
 * Not checked: {@code text} and other character types (anything fits), {@code durationDatetime} and
 * {@code intervalDatetime} (ISO 8601 durations and intervals have many forms and no mapping reads them as such), and
 * any type name we do not know. Lengths are not checked either: SAS pads and truncates them, and a long value is not a
 * wrong value.
 */
final class DefineTypes {

    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3])(:[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?)?");

    private DefineTypes() {
    }

    /** Whether values of this type are checked at all. */
    static boolean checked(String dataType) {
        return kind(dataType) != Kind.UNCHECKED;
    }

    static boolean fits(String dataType, String value) {
        Kind kind = kind(dataType);
        if (kind == Kind.UNCHECKED || value == null) {
            return true;
        }
        String v = value.trim();
        if (v.isEmpty() || MissingValues.isSasMissing(v) || MissingValues.isNotAvailable(v)) {
            return true;
        }
        return switch (kind) {
            case INTEGER -> number(v) != null && isWhole(number(v));
            case FLOAT -> number(v) != null;
            case DATE -> isSdtmDate(v);
            case TIME -> TIME.matcher(v).matches();
            case UNCHECKED -> true;
        };
    }

    private enum Kind { INTEGER, FLOAT, DATE, TIME, UNCHECKED }

    private static Kind kind(String dataType) {
        if (dataType == null) {
            return Kind.UNCHECKED;
        }
        return switch (dataType.trim().toLowerCase(Locale.ROOT)) {
            case "integer" -> Kind.INTEGER;
            case "float", "double", "decimal" -> Kind.FLOAT;
            case "date", "datetime", "partialdate", "partialdatetime", "incompletedatetime" -> Kind.DATE;
            case "time", "partialtime" -> Kind.TIME;
            default -> Kind.UNCHECKED;
        };
    }

    /** The number the text writes, or null; at most 1,000 characters (a longer "number" is not one, and not parsed). */
    private static BigDecimal number(String v) {
        if (v.length() > 1000) {
            return null;
        }
        try {
            BigDecimal n = new BigDecimal(v);
            // an exponent like 1E999999999 would make isWhole's scale arithmetic huge: no real value has one
            return Math.abs((long) n.scale()) > 10_000 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isWhole(BigDecimal n) {
        return n.signum() == 0 || n.scale() <= 0 || n.stripTrailingZeros().scale() <= 0;
    }

    private static boolean isSdtmDate(String v) {
        try {
            SdtmDates.toFhirDate("", v);
            return true;
        } catch (RecordMappingException e) {
            return false;
        }
    }
}
