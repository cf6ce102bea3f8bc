package org.celltrial.adapter.ingest.read.json;

import com.fasterxml.jackson.core.JsonToken;
import org.celltrial.adapter.ingest.read.NumberText;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Turns one row value, as its JSON token and text, into SDTM text following the column's {@code dataType}
 * (Dataset-JSON v1.1, "Supported Column Data Type Combinations"): strings as they are; integers exact; float and
 * double through {@link NumberText#binary(double)} like SAS numerics, so a JSON file and an XPT of the same data
 * agree; decimals (exchanged as strings, "." as decimal separator, "," as optional thousands separator) exact;
 * dates, datetimes and times as the ISO 8601 strings the file holds, whatever their {@code targetDataType}; null as "".
 */
final class JsonValues {

    private static final int MAX_PLAIN_DIGITS = 400;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+|\\d{1,3}(,\\d{3})+)(\\.\\d*)?|[+-]?\\.\\d+");

    /** A value the column's type does not allow; the message names the column and the kind, never the value. */
    static final class WrongValue extends Exception {
        WrongValue(String message) {
            super(message, null, false, false);
        }
    }

    private JsonValues() {
    }

    static String convert(JsonColumn column, JsonToken token, String text) throws WrongValue {
        if (token == JsonToken.VALUE_NULL) {
            return "";
        }
        switch (column.type()) {
            case STRING, DATE, DATETIME, TIME, URI -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw wrong(column, token, "a string");
                }
                return text;
            }
            case INTEGER -> {
                if (token == JsonToken.VALUE_NUMBER_INT) {
                    return NumberText.exact(new BigDecimal(text));
                }
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    BigDecimal value = bounded(column, new BigDecimal(text));
                    if (isIntegral(value)) {
                        return NumberText.exact(value);
                    }
                    throw new WrongValue("column " + column.name() + " (integer) holds a number with a fraction");
                }
                throw wrong(column, token, "an integer");
            }
            case FLOAT, DOUBLE -> {
                if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw wrong(column, token, "a number");
                }
                double value = Double.parseDouble(text);
                if (!Double.isFinite(value)) {
                    throw new WrongValue("column " + column.name() + " (" + column.typeName()
                            + ") holds a number outside the range of a double");
                }
                return NumberText.binary(value);
            }
            case DECIMAL -> {
                if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                    return NumberText.exact(bounded(column, new BigDecimal(text)));
                }
                if (token != JsonToken.VALUE_STRING) {
                    throw wrong(column, token, "a decimal string");
                }
                if (text.isEmpty()) {
                    return "";
                }
                if (!DECIMAL.matcher(text).matches()) {
                    throw new WrongValue("column " + column.name() + " (decimal) holds a string that is not a decimal"
                            + " number");
                }
                return NumberText.exact(new BigDecimal(text.replace(",", "")));
            }
            case BOOLEAN -> {
                if (token == JsonToken.VALUE_TRUE) {
                    return "true";
                }
                if (token == JsonToken.VALUE_FALSE) {
                    return "false";
                }
                throw wrong(column, token, "true or false");
            }
            default -> throw new IllegalStateException("unhandled type " + column.type());
        }
    }

    /**
     * A number written with a huge exponent ({@code 1e999999999}) is short in JSON but enormous as plain text: refused
     * before it is written out.
     */
    private static BigDecimal bounded(JsonColumn column, BigDecimal value) throws WrongValue {
        if (Math.abs((long) value.precision() - value.scale()) > MAX_PLAIN_DIGITS
                || Math.abs((long) value.scale()) > MAX_PLAIN_DIGITS) {
            throw new WrongValue("column " + column.name() + " (" + column.typeName() + ") holds a number with more than "
                    + MAX_PLAIN_DIGITS + " digits when written out");
        }
        return value;
    }

    private static boolean isIntegral(BigDecimal value) {
        return value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
    }

    private static WrongValue wrong(JsonColumn column, JsonToken token, String expected) {
        return new WrongValue("column " + column.name() + " (" + column.typeName() + ") holds " + kind(token)
                + " where " + expected + " is expected");
    }

    static String kind(JsonToken token) {
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> "an unexpected token";
        };
    }
}
