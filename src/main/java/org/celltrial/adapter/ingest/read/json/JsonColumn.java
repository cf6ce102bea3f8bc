package org.celltrial.adapter.ingest.read.json;

import org.celltrial.adapter.ingest.read.DatasetMetadata.VariableType;

import java.util.Locale;

/** A column as its row values need it: name, logical {@code dataType} and optional {@code targetDataType}. */
record JsonColumn(String name, VariableType type, String targetDataType) {

    /** The Dataset-JSON v1.1 {@code dataType} enumeration, or null for a name outside it. */
    static VariableType typeOf(String dataType) {
        return switch (dataType) {
            case "string" -> VariableType.STRING;
            case "integer" -> VariableType.INTEGER;
            case "decimal" -> VariableType.DECIMAL;
            case "float" -> VariableType.FLOAT;
            case "double" -> VariableType.DOUBLE;
            case "boolean" -> VariableType.BOOLEAN;
            case "datetime" -> VariableType.DATETIME;
            case "date" -> VariableType.DATE;
            case "time" -> VariableType.TIME;
            case "URI" -> VariableType.URI;
            default -> null;
        };
    }

    String typeName() {
        return type == VariableType.URI ? "URI" : type.name().toLowerCase(Locale.ROOT);
    }
}
