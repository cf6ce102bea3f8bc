package org.celltrial.adapter.ingest.read.odm;

import org.celltrial.adapter.ingest.read.DatasetMetadata.VariableType;

import java.util.HashMap;
import java.util.Map;

/**
 * What a file's {@code MetaDataVersion} says about its items and groups, when it has one (REDCap's record export has
 * none; OpenClinica's and REDCap's project XML do): item data types, names and code lists (to decode coded values),
 * and which item groups repeat. Everything is optional: data without metadata is read as text.
 */
final class OdmMetadata {

    /** An ItemDef: its name (label), ODM DataType and code list OID (may be null). */
    record Item(String name, String dataType, String codeListOid) {
        VariableType type() {
            if (dataType == null) {
                return VariableType.STRING;
            }
            return switch (dataType) {
                case "integer" -> VariableType.INTEGER;
                case "float", "double" -> VariableType.FLOAT;
                case "date", "partialDate" -> VariableType.DATE;
                case "datetime", "partialDatetime" -> VariableType.DATETIME;
                case "time", "partialTime" -> VariableType.TIME;
                case "boolean" -> VariableType.BOOLEAN;
                case "URI" -> VariableType.URI;
                default -> VariableType.STRING;
            };
        }

        boolean numeric() {
            return "integer".equals(dataType) || "float".equals(dataType) || "double".equals(dataType);
        }
    }

    /** Bounds the metadata a hostile file can make us hold (REDCap projects have a few thousand items). */
    static final int MAX_DEFINITIONS = 200_000;

    private final Map<String, Item> items = new HashMap<>();
    private final Map<String, Map<String, String>> codeLists = new HashMap<>();
    private final Map<String, Boolean> groupRepeats = new HashMap<>();
    private int definitions;

    void item(String oid, Item item) {
        count();
        items.put(oid, item);
    }

    void codeListItem(String codeListOid, String codedValue, String decode) {
        count();
        codeLists.computeIfAbsent(codeListOid, k -> new HashMap<>()).put(codedValue, decode);
    }

    void itemGroup(String oid, boolean repeating) {
        count();
        groupRepeats.put(oid, repeating);
    }

    private void count() {
        if (++definitions > MAX_DEFINITIONS) {
            throw new IllegalStateException("the metadata has more than " + MAX_DEFINITIONS + " definitions");
        }
    }

    Item item(String oid) {
        return items.get(oid);
    }

    /** Whether the metadata declares the group repeating; null when it does not know the group. */
    Boolean groupRepeats(String oid) {
        return groupRepeats.get(oid);
    }

    /** The decode of a coded value, or null when the item has no code list or the list lacks the value. */
    String decode(String itemOid, String value) {
        Item item = items.get(itemOid);
        if (item == null || item.codeListOid() == null) {
            return null;
        }
        Map<String, String> list = codeLists.get(item.codeListOid());
        return list == null ? null : list.get(value);
    }

    boolean hasCodeList(String itemOid) {
        Item item = items.get(itemOid);
        return item != null && item.codeListOid() != null && codeLists.containsKey(item.codeListOid());
    }
}
