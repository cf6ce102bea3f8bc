package org.celltrial.adapter.ingest.read.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.celltrial.adapter.ingest.read.DatasetMetadata;
import org.celltrial.adapter.ingest.read.DatasetMetadata.VariableType;
import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The top-level object of a Dataset-JSON v1.1 file (the whole first line of the NDJSON form): dataset name, label,
 * {@code records} and {@code columns}. Attributes the adapter does not use are skipped without being held. Reading
 * stops at {@code rows} (JSON form) or at the end of the object (NDJSON form).
 *
 * <p>The standard lets a writer put {@code rows} before {@code columns} (JSON does not order attributes) but strongly
 * recommends its attribute order "so that streaming readers" can work. This reader streams and refuses rows that come
 * before {@code columns} or {@code name} with a message saying so, rather than holding an unbounded number of rows
 * until the columns arrive; every writer we know, and the CDISC examples, follow the recommended order.
 */
record DatasetJsonHeader(DatasetMetadata metadata, List<JsonColumn> columns, long declaredRecords, boolean rowsFollow) {

    /** More columns than this is not a dataset: SAS allows 32,767 variables, SDTM datasets have tens. */
    static final int MAX_COLUMNS = 32_767;

    static DatasetJsonHeader read(JsonParser parser, String file, boolean ndjson)
            throws IOException, UnreadableDatasetException {
        JsonToken first = parser.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new UnreadableDatasetException(file + ": not a Dataset-JSON file: "
                    + (first == null ? "it is empty" : "it does not start with a JSON object")
                    + (ndjson ? " (the first line of the NDJSON form is the metadata object)" : ""));
        }
        String name = null;
        String label = "";
        long records = -1;
        List<DatasetMetadata.Variable> variables = null;
        List<JsonColumn> columns = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "datasetJSONVersion" -> {
                    String version = text(parser, value, file, field);
                    if (!version.equals("1.1") && !version.startsWith("1.1.")) {
                        throw new UnreadableDatasetException(file + ": Dataset-JSON version " + safe(version)
                                + " is not supported; this reader reads version 1.1");
                    }
                }
                case "clinicalData", "referenceData" -> throw new UnreadableDatasetException(file
                        + ": Dataset-JSON v1.0 (clinicalData/referenceData) is not supported; convert it to v1.1");
                case "name" -> name = text(parser, value, file, field).trim().toUpperCase(Locale.ROOT);
                case "label" -> label = text(parser, value, file, field);
                case "records" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || parser.getValueAsLong(-1) < 0) {
                        throw new UnreadableDatasetException(file + ": \"records\" is not a non-negative integer");
                    }
                    records = parser.getLongValue();
                }
                case "columns" -> {
                    columns = new ArrayList<>();
                    variables = new ArrayList<>();
                    readColumns(parser, value, file, columns, variables);
                }
                case "rows" -> {
                    if (ndjson) {
                        throw new UnreadableDatasetException(file + ": the metadata line holds \"rows\": this is the "
                                + "JSON form of Dataset-JSON, not NDJSON; name the file .json");
                    }
                    if (columns == null || name == null) {
                        throw new UnreadableDatasetException(file + ": \"rows\" comes before \""
                                + (columns == null ? "columns" : "name") + "\"; this reader streams rows and needs the "
                                + "dataset metadata first, in the attribute order Dataset-JSON v1.1 recommends");
                    }
                    if (value != JsonToken.START_ARRAY) {
                        throw new UnreadableDatasetException(file + ": \"rows\" is not an array");
                    }
                    return new DatasetJsonHeader(new DatasetMetadata(name, label, variables), columns, records, true);
                }
                default -> parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new UnreadableDatasetException(file + ": malformed metadata object");
        }
        if (columns == null) {
            throw new UnreadableDatasetException(file + ": no \"columns\" array (required by Dataset-JSON v1.1)");
        }
        if (name == null) {
            throw new UnreadableDatasetException(file + ": no dataset \"name\" (required by Dataset-JSON v1.1)");
        }
        return new DatasetJsonHeader(new DatasetMetadata(name, label, variables), columns, records, false);
    }

    private static void readColumns(JsonParser parser, JsonToken start, String file, List<JsonColumn> columns,
                                    List<DatasetMetadata.Variable> variables)
            throws IOException, UnreadableDatasetException {
        if (start != JsonToken.START_ARRAY) {
            throw new UnreadableDatasetException(file + ": \"columns\" is not an array");
        }
        Set<String> names = new HashSet<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            int index = columns.size() + 1;
            if (index > MAX_COLUMNS) {
                throw new UnreadableDatasetException(file + ": more than " + MAX_COLUMNS + " columns; refused");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new UnreadableDatasetException(file + ": column " + index + " is not an object");
            }
            String itemOid = "";
            String name = null;
            String label = "";
            String dataType = null;
            String targetDataType = "";
            String displayFormat = "";
            int length = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                String where = "column " + index;
                switch (field) {
                    case "itemOID" -> itemOid = text(parser, value, file, where + " itemOID");
                    case "name" -> name = text(parser, value, file, where + " name").trim().toUpperCase(Locale.ROOT);
                    case "label" -> label = text(parser, value, file, where + " label");
                    case "dataType" -> dataType = text(parser, value, file, where + " dataType");
                    case "targetDataType" -> targetDataType = text(parser, value, file, where + " targetDataType");
                    case "displayFormat" -> displayFormat = text(parser, value, file, where + " displayFormat");
                    case "length" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || parser.getValueAsLong(-1) < 1
                                || parser.getValueAsLong(-1) > Integer.MAX_VALUE) {
                            throw new UnreadableDatasetException(file + ": " + where + " length is not a positive integer");
                        }
                        length = parser.getIntValue();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (name == null || name.isEmpty()) {
                throw new UnreadableDatasetException(file + ": column " + index + " has no name");
            }
            if (dataType == null) {
                throw new UnreadableDatasetException(file + ": column " + name + " has no dataType");
            }
            VariableType type = JsonColumn.typeOf(dataType);
            if (type == null) {
                throw new UnreadableDatasetException(file + ": column " + name + " has dataType " + safe(dataType)
                        + ", not one of string, integer, decimal, float, double, boolean, datetime, date, time, URI");
            }
            if (!names.add(name)) {
                throw new UnreadableDatasetException(file + ": column " + name + " is declared twice");
            }
            columns.add(new JsonColumn(name, type, targetDataType));
            variables.add(new DatasetMetadata.Variable(name, label, type, length, displayFormat, itemOid));
        }
    }

    private static String text(JsonParser parser, JsonToken value, String file, String field)
            throws IOException, UnreadableDatasetException {
        if (value != JsonToken.VALUE_STRING) {
            throw new UnreadableDatasetException(file + ": " + field + " is " + JsonValues.kind(value)
                    + ", not a string");
        }
        return parser.getText();
    }

    /** Metadata words quoted in messages are short identifiers; anything longer or odd is not repeated. */
    private static String safe(String word) {
        return word.length() <= 20 && word.matches("[A-Za-z0-9._-]*") ? "\"" + word + "\"" : "(unreadable)";
    }
}
