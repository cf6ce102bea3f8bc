package org.celltrial.adapter.ingest.read.define;

import org.celltrial.adapter.ingest.read.define.DefineXml.CodeList;
import org.celltrial.adapter.ingest.read.define.DefineXml.CodeListItem;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemGroupDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemRef;
import org.celltrial.adapter.ingest.read.define.DefineXml.Origin;
import org.celltrial.adapter.ingest.read.define.DefineXml.RangeCheck;
import org.celltrial.adapter.ingest.read.define.DefineXml.ValueListDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.WhereClauseDef;

import javax.xml.stream.XMLStreamReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link DefineXml} model from StAX events. Elements are recognised by local name (Define-XML 2.0 and 2.1
 * differ in the def: namespace URI, not in these names); everything else is skipped. Only the texts the model keeps
 * are collected, each bounded.
 */
final class DefineXmlHandler {

    /** An element or text the reader refuses; the message says why. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Entries kept in the model (definitions, references, codelist items, check values). */
    static final int MAX_ENTRIES = 1_000_000;

    private final String file;
    private final Deque<String> path = new ArrayDeque<>();
    private final Map<String, ItemGroupDef> itemGroups = new LinkedHashMap<>();
    private final Map<String, ItemDef> items = new LinkedHashMap<>();
    private final Map<String, CodeList> codeLists = new LinkedHashMap<>();
    private final Map<String, ValueListDef> valueLists = new LinkedHashMap<>();
    private final Map<String, WhereClauseDef> whereClauses = new LinkedHashMap<>();
    private int entries;

    private String studyOid = "";
    private String studyName = "";
    private String defineVersion = "";

    // the definition being read, with its parts
    private Map<String, String> group;
    private Map<String, String> item;
    private Map<String, String> codeList;
    private Map<String, String> codeListItem;
    private String valueListOid;
    private String whereClauseOid;
    private Map<String, String> rangeCheck;
    private Map<String, String> itemRef;
    private final List<ItemRef> itemRefs = new ArrayList<>();
    private final List<String> whereClauseRefs = new ArrayList<>();
    private final List<CodeListItem> codeListItems = new ArrayList<>();
    private final List<RangeCheck> rangeChecks = new ArrayList<>();
    private final List<String> checkValues = new ArrayList<>();
    private String label = "";
    private String decode = "";
    private String nciCode = "";
    private String itemNciCode = "";
    private Origin origin = Origin.NONE;
    private String codeListRef = "";
    private String valueListRef = "";

    // text being collected, for a TranslatedText or CheckValue we keep
    private StringBuilder text;
    private String textLanguage;

    DefineXmlHandler(String file) {
        this.file = file;
    }

    void start(XMLStreamReader xml) {
        String name = xml.getLocalName();
        String parent = path.peek();
        path.push(name);
        switch (name) {
            case "Study" -> studyOid = attribute(xml, "OID");
            case "MetaDataVersion" -> defineVersion = attribute(xml, "DefineVersion");
            case "ItemGroupDef" -> {
                group = attributes(xml);
                itemRefs.clear();
                label = "";
            }
            case "ItemDef" -> {
                item = attributes(xml);
                label = "";
                origin = Origin.NONE;
                codeListRef = "";
                valueListRef = "";
            }
            case "CodeList" -> {
                codeList = attributes(xml);
                codeListItems.clear();
                nciCode = "";
            }
            case "CodeListItem", "EnumeratedItem" -> {
                codeListItem = attributes(xml);
                decode = "";
                itemNciCode = "";
            }
            case "ValueListDef" -> {
                valueListOid = attribute(xml, "OID");
                itemRefs.clear();
            }
            case "WhereClauseDef" -> {
                whereClauseOid = attribute(xml, "OID");
                rangeChecks.clear();
            }
            case "RangeCheck" -> {
                rangeCheck = attributes(xml);
                checkValues.clear();
            }
            case "ItemRef" -> {
                itemRef = attributes(xml);
                whereClauseRefs.clear();
            }
            case "WhereClauseRef" -> whereClauseRefs.add(attribute(xml, "WhereClauseOID"));
            case "CodeListRef" -> codeListRef = attribute(xml, "CodeListOID");
            case "ValueListRef" -> valueListRef = attribute(xml, "ValueListOID");
            case "Origin" -> {
                if (item != null) {
                    origin = new Origin(attribute(xml, "Type"), attribute(xml, "Source"));
                }
            }
            case "Alias" -> {
                if ("nci:ExtCodeID".equals(attribute(xml, "Context"))) {
                    if (codeListItem != null) {
                        itemNciCode = attribute(xml, "Name");
                    } else if (codeList != null) {
                        nciCode = attribute(xml, "Name");
                    }
                }
            }
            case "TranslatedText" -> {
                if (keepsText(parent)) {
                    text = new StringBuilder();
                    textLanguage = attribute(xml, "lang");
                }
            }
            case "CheckValue", "StudyName" -> text = new StringBuilder();
            default -> {
                // not part of the model
            }
        }
    }

    void text(XMLStreamReader xml) {
        if (text == null) {
            return;
        }
        if (text.length() + xml.getTextLength() > DefineXmlReader.MAX_TEXT) {
            throw new Refused("a text longer than " + DefineXmlReader.MAX_TEXT + " characters");
        }
        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
    }

    void end(String name) {
        path.pop();
        switch (name) {
            case "TranslatedText" -> {
                if (text != null) {
                    keepTranslatedText(text.toString().trim(), path.peek());
                    text = null;
                }
            }
            case "CheckValue" -> {
                count();
                checkValues.add(text.toString());
                text = null;
            }
            case "StudyName" -> {
                studyName = text.toString().trim();
                text = null;
            }
            case "ItemRef" -> {
                count();
                itemRefs.add(new ItemRef(itemRef.getOrDefault("ItemOID", ""), number(itemRef, "OrderNumber"),
                        number(itemRef, "KeySequence"), "Yes".equals(itemRef.get("Mandatory")),
                        itemRef.getOrDefault("Role", ""), itemRef.getOrDefault("MethodOID", ""), whereClauseRefs));
                itemRef = null;
            }
            case "ItemGroupDef" -> {
                count();
                String oid = group.getOrDefault("OID", "");
                itemGroups.put(oid, new ItemGroupDef(oid, group.getOrDefault("Name", ""),
                        group.getOrDefault("Domain", ""), label, group.getOrDefault("Structure", ""),
                        group.getOrDefault("Purpose", ""), "Yes".equals(group.get("Repeating")), ordered(itemRefs)));
                group = null;
            }
            case "ItemDef" -> {
                count();
                String oid = item.getOrDefault("OID", "");
                items.put(oid, new ItemDef(oid, item.getOrDefault("Name", ""), item.getOrDefault("DataType", ""),
                        number(item, "Length"), number(item, "SignificantDigits"),
                        item.getOrDefault("DisplayFormat", ""), label, codeListRef, origin, valueListRef));
                item = null;
            }
            case "CodeListItem", "EnumeratedItem" -> {
                count();
                codeListItems.add(new CodeListItem(codeListItem.getOrDefault("CodedValue", ""), decode, itemNciCode,
                        number(codeListItem, "OrderNumber")));
                codeListItem = null;
            }
            case "CodeList" -> {
                count();
                String oid = codeList.getOrDefault("OID", "");
                codeLists.put(oid, new CodeList(oid, codeList.getOrDefault("Name", ""),
                        codeList.getOrDefault("DataType", ""), nciCode, codeListItems));
                codeList = null;
            }
            case "ValueListDef" -> {
                count();
                valueLists.put(valueListOid, new ValueListDef(valueListOid, ordered(itemRefs)));
                valueListOid = null;
            }
            case "RangeCheck" -> {
                count();
                rangeChecks.add(new RangeCheck(rangeCheck.getOrDefault("ItemOID", ""),
                        rangeCheck.getOrDefault("Comparator", ""), rangeCheck.getOrDefault("SoftHard", ""),
                        checkValues));
                rangeCheck = null;
            }
            case "WhereClauseDef" -> {
                count();
                whereClauses.put(whereClauseOid, new WhereClauseDef(whereClauseOid, rangeChecks));
                whereClauseOid = null;
            }
            default -> {
                // not part of the model
            }
        }
    }

    DefineXml result() {
        if (itemGroups.isEmpty()) {
            throw new Refused("no ItemGroupDef: not a Define-XML document");
        }
        return new DefineXml(studyOid, studyName, defineVersion, itemGroups, items, codeLists, valueLists,
                whereClauses);
    }

    /** Descriptions of datasets and variables, and decodes, are kept; other TranslatedTexts (comments...) are not. */
    private boolean keepsText(String parent) {
        if ("Decode".equals(parent)) {
            return codeListItem != null;
        }
        if (!"Description".equals(parent)) {
            return false;
        }
        String owner = path.size() >= 3 ? (String) path.toArray()[2] : "";
        return "ItemGroupDef".equals(owner) || "ItemDef".equals(owner);
    }

    /** The English text wins; otherwise the first one. */
    private void keepTranslatedText(String value, String parent) {
        boolean english = textLanguage.isEmpty() || textLanguage.startsWith("en");
        if ("Decode".equals(parent)) {
            if (decode.isEmpty() || english) {
                decode = value;
            }
        } else if (label.isEmpty() || english) {
            label = value;
        }
    }

    private void count() {
        if (++entries > MAX_ENTRIES) {
            throw new Refused("more than " + MAX_ENTRIES + " definitions; refused");
        }
    }

    private static List<ItemRef> ordered(List<ItemRef> refs) {
        List<ItemRef> copy = new ArrayList<>(refs);
        if (copy.stream().allMatch(r -> r.orderNumber() > 0)) {
            copy.sort(java.util.Comparator.comparingInt(ItemRef::orderNumber));
        }
        return copy;
    }

    private int number(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            throw new Refused("attribute " + name + " is not a whole number");
        }
    }

    /** Attributes by local name: Define-XML puts some in the def: namespace (def:Structure, def:DisplayFormat...). */
    private static Map<String, String> attributes(XMLStreamReader xml) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            attributes.put(xml.getAttributeLocalName(i), xml.getAttributeValue(i));
        }
        return attributes;
    }

    private static String attribute(XMLStreamReader xml, String localName) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            if (xml.getAttributeLocalName(i).equals(localName)) {
                return xml.getAttributeValue(i);
            }
        }
        return "";
    }
}
