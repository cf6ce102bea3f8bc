package org.celltrial.adapter.ingest.read.odm;

import org.celltrial.adapter.ingest.read.UnreadableDatasetException;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.Closeable;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the {@code ClinicalData} of a CDISC ODM 1.3.x file one {@code SubjectData} at a time and flattens each into
 * rows the mapping engine maps like SDTM rows:
 * <ul>
 *   <li>one row per form instance (subject × study event + repeat key × form + repeat key), its non-repeating item
 *       groups merged into it;</li>
 *   <li>one row per instance of a repeating item group (with the form's context, its own group OID and key). A group
 *       repeats when the metadata says {@code Repeating="Yes"}; without metadata, when it occurs more than once in the
 *       form instance or has a repeat key other than 1 (REDCap gives every group key 1);</li>
 *   <li>context columns {@link #CONTEXT}; items as columns named by their OID in upper case (REDCap's checkbox items
 *       keep their {@code field___code} names); with a code list in the metadata, also {@code <ITEM>_DECODE};</li>
 *   <li>{@code TransactionType="Remove"} on a subject, event, form or repeating group drops its rows, so that what
 *       they produced is retired as a removed row's is; on a non-repeating group or an item it empties the values.</li>
 * </ul>
 * Only one subject's rows are held at a time. Audit records, signatures and annotations are skipped.
 * {@code STUDYID} is the {@code ClinicalData}'s StudyOID, as the ingest keys studies by STUDYID.
 */
public final class OdmFlattener implements Closeable {

    public static final List<String> CONTEXT = List.of("STUDYID", "SUBJECTKEY", "STUDYEVENTOID", "STUDYEVENTREPEATKEY",
            "FORMOID", "FORMREPEATKEY", "ITEMGROUPOID", "ITEMGROUPREPEATKEY", "TRANSACTIONTYPE");
    /** Rows one subject may give; bounds a hostile file's cost in memory. */
    static final int MAX_ROWS_PER_SUBJECT = 100_000;
    /** Item values one subject may give. */
    static final int MAX_VALUES_PER_SUBJECT = 5_000_000;

    private final String fileName;
    private final XMLStreamReader xml;
    private final OdmMetadata metadata = new OdmMetadata();
    private String studyOid = "";
    private boolean done;

    public OdmFlattener(String fileName, InputStream in) throws UnreadableDatasetException {
        this.fileName = fileName;
        try {
            this.xml = SafeXml.reader(in);
        } catch (XMLStreamException e) {
            throw unreadable(e);
        }
    }

    /** The dataset name of a form: its OID in upper case, characters other than letters, digits, _ . - as _. */
    public static String datasetName(String formOid) {
        return formOid.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_.-]", "_");
    }

    /** The column name of an item OID: upper case, other characters than letters, digits and _ as _. */
    public static String columnName(String itemOid) {
        String c = itemOid.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        return c.isEmpty() || !Character.isLetter(c.charAt(0)) ? "I_" + c : c;
    }

    /** The rows of the next SubjectData, or null when the file has no more. A removed subject gives an empty list. */
    public List<OdmRow> nextSubject() throws UnreadableDatasetException {
        if (done) {
            return null;
        }
        try {
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new UnreadableDatasetException(fileName + ": a DOCTYPE is not allowed in ODM files (refused,"
                            + " never read)");
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                switch (xml.getLocalName()) {
                    case "ODM" -> checkRoot();
                    case "ClinicalData" -> studyOid = attr("StudyOID");
                    case "ItemDef" -> readItemDef();
                    case "CodeList" -> readCodeList();
                    case "ItemGroupDef" -> metadata.itemGroup(attr("OID"), "Yes".equals(attr("Repeating")));
                    case "SubjectData" -> {
                        return readSubject();
                    }
                    default -> { }
                }
            }
            done = true;
            return null;
        } catch (XMLStreamException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    private void checkRoot() throws UnreadableDatasetException {
        String ns = xml.getNamespaceURI();
        if (ns != null && !ns.isEmpty() && !ns.startsWith("http://www.cdisc.org/ns/odm/v1.3")) {
            throw new UnreadableDatasetException(fileName + ": not CDISC ODM 1.3 (namespace " + ns + ")");
        }
    }

    private UnreadableDatasetException unreadable(Exception e) {
        if (e instanceof UnreadableDatasetException u) {
            return u;
        }
        // the parser's message names the position and the rule broken (limits, DTD); it quotes no values
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new UnreadableDatasetException(fileName + ": not readable as ODM XML: " + why, e);
    }

    private String attr(String name) {
        String v = xml.getAttributeValue(null, name);
        return v == null ? "" : v;
    }

    private void readItemDef() throws XMLStreamException {
        String oid = attr("OID");
        String name = attr("Name");
        String dataType = xml.getAttributeValue(null, "DataType");
        String codeList = null;
        int depth = 1;
        while (depth > 0) {
            int e = xml.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (xml.getLocalName().equals("CodeListRef")) {
                    codeList = attr("CodeListOID");
                }
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        metadata.item(oid, new OdmMetadata.Item(name, dataType, codeList));
    }

    private void readCodeList() throws XMLStreamException {
        String oid = attr("OID");
        String coded = null;
        boolean inDecode = false;
        int depth = 1;
        while (depth > 0) {
            int e = xml.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
                switch (xml.getLocalName()) {
                    case "CodeListItem", "EnumeratedItem" -> {
                        coded = attr("CodedValue");
                        metadata.codeListItem(oid, coded, coded); // an EnumeratedItem decodes to itself
                    }
                    case "Decode" -> inDecode = true;
                    case "TranslatedText" -> {
                        if (inDecode && coded != null) {
                            // the first translation is the decode (ODM allows one per language)
                            String text = xml.getElementText().trim();
                            depth--;
                            if (metadata.decode(oid, coded) == null || metadata.decode(oid, coded).equals(coded)) {
                                metadata.codeListItem(oid, coded, text);
                            }
                        }
                    }
                    default -> { }
                }
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
                if (xml.getLocalName().equals("Decode")) {
                    inDecode = false;
                }
            }
        }
    }

    private record Group(String oid, String key, String tx, Map<String, String> items) {
    }

    /** Reads the current SubjectData to its end tag. */
    private List<OdmRow> readSubject() throws XMLStreamException, UnreadableDatasetException {
        String subjectKey = attr("SubjectKey");
        String subjectTx = xml.getAttributeValue(null, "TransactionType");
        List<OdmRow> rows = new ArrayList<>();
        int[] values = {0};
        String eventOid = "", eventKey = "", eventTx = null;
        String formOid = null, formKey = "", formTx = null;
        List<Group> groups = new ArrayList<>();
        Group group = null;
        int depth = 1;
        while (depth > 0) {
            int e = xml.next();
            if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
                String name = xml.getLocalName();
                if (name.equals("FormData") && formOid != null) {
                    String tx = firstNonNull(formTx, eventTx, subjectTx);
                    if (!"Remove".equals(tx)) {
                        formRows(rows, subjectKey, eventOid, eventKey, formOid, formKey, tx, groups);
                    }
                    if (rows.size() > MAX_ROWS_PER_SUBJECT) {
                        throw new UnreadableDatasetException(fileName + ": a subject has more than "
                                + MAX_ROWS_PER_SUBJECT + " form and item group instances");
                    }
                    formOid = null;
                } else if (name.equals("ItemGroupData")) {
                    group = null;
                }
                continue;
            }
            if (e != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            depth++;
            String name = xml.getLocalName();
            switch (name) {
                case "StudyEventData" -> {
                    eventOid = attr("StudyEventOID");
                    eventKey = attr("StudyEventRepeatKey");
                    eventTx = xml.getAttributeValue(null, "TransactionType");
                }
                case "FormData" -> {
                    formOid = attr("FormOID");
                    formKey = attr("FormRepeatKey");
                    formTx = xml.getAttributeValue(null, "TransactionType");
                    groups = new ArrayList<>();
                }
                case "ItemGroupData" -> {
                    if (formOid != null) {
                        group = new Group(attr("ItemGroupOID"), xml.getAttributeValue(null, "ItemGroupRepeatKey"),
                                xml.getAttributeValue(null, "TransactionType"), new LinkedHashMap<>());
                        groups.add(group);
                    }
                }
                case "AuditRecord", "Signature", "Annotation", "SubjectAssignment", "InvestigatorRef", "SiteRef",
                     "ArchiveLayoutRef" -> {
                    skip();
                    depth--;
                }
                default -> {
                    if (name.startsWith("ItemData") && group != null) {
                        String oid = attr("ItemOID");
                        String tx = xml.getAttributeValue(null, "TransactionType");
                        boolean isNull = "Yes".equals(xml.getAttributeValue(null, "IsNull"));
                        String value;
                        if (name.equals("ItemData")) {
                            value = attr("Value");
                        } else { // typed ItemDataString, ItemDataInteger... carry the value as text
                            value = xml.getElementText();
                            depth--;
                        }
                        if (isNull || "Remove".equals(tx)) {
                            value = "";
                        }
                        if (++values[0] > MAX_VALUES_PER_SUBJECT) {
                            throw new UnreadableDatasetException(fileName + ": a subject has more than "
                                    + MAX_VALUES_PER_SUBJECT + " item values");
                        }
                        group.items().put(oid, value.trim());
                    }
                }
            }
        }
        return "Remove".equals(subjectTx) ? List.of() : rows;
    }

    private void skip() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int e = xml.next();
            if (e == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (e == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private void formRows(List<OdmRow> rows, String subjectKey, String eventOid, String eventKey, String formOid,
                          String formKey, String formTx, List<Group> groups) {
        Map<String, Integer> occurrences = new HashMap<>();
        groups.forEach(g -> occurrences.merge(g.oid(), 1, Integer::sum));
        String dataset = datasetName(formOid);
        Map<String, String> formItems = new LinkedHashMap<>();
        List<OdmRow> groupRows = new ArrayList<>();
        for (Group g : groups) {
            Boolean declared = metadata.groupRepeats(g.oid());
            boolean repeating = declared != null ? declared
                    : occurrences.get(g.oid()) > 1 || !(g.key() == null || g.key().isEmpty() || g.key().equals("1"));
            String tx = firstNonNull(g.tx(), formTx);
            if (!repeating) {
                g.items().forEach((oid, v) -> putItem(formItems, oid, "Remove".equals(g.tx()) ? "" : v));
            } else if (!"Remove".equals(tx)) {
                Map<String, String> values = context(subjectKey, eventOid, eventKey, formOid, formKey, g.oid(),
                        g.key() == null ? "" : g.key(), tx);
                g.items().forEach((oid, v) -> putItem(values, oid, v));
                groupRows.add(new OdmRow(dataset, values));
            }
        }
        Map<String, String> values = context(subjectKey, eventOid, eventKey, formOid, formKey, "", "", formTx);
        formItems.forEach(values::putIfAbsent); // an item named like a context column cannot overwrite it
        rows.add(new OdmRow(dataset, values));
        rows.addAll(groupRows);
    }

    private Map<String, String> context(String subjectKey, String eventOid, String eventKey, String formOid,
                                        String formKey, String groupOid, String groupKey, String tx) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("STUDYID", studyOid);
        v.put("SUBJECTKEY", subjectKey);
        v.put("STUDYEVENTOID", eventOid);
        v.put("STUDYEVENTREPEATKEY", eventKey);
        v.put("FORMOID", formOid);
        v.put("FORMREPEATKEY", formKey);
        v.put("ITEMGROUPOID", groupOid);
        v.put("ITEMGROUPREPEATKEY", groupKey);
        v.put("TRANSACTIONTYPE", tx == null ? "" : tx);
        return v;
    }

    /** An item's value under its column, numbers normalized when the metadata types them, and its decode. */
    private void putItem(Map<String, String> values, String oid, String value) {
        String column = columnName(oid);
        OdmMetadata.Item def = metadata.item(oid);
        String v = value;
        if (def != null && def.numeric() && !v.isEmpty()) {
            v = plainNumber(v);
        }
        if (CONTEXT.contains(column)) {
            return; // an item named like a context column cannot overwrite it
        }
        values.put(column, v);
        if (metadata.hasCodeList(oid)) {
            String decode = v.isEmpty() ? "" : metadata.decode(oid, value);
            values.putIfAbsent(column + "_DECODE", decode == null ? "" : decode);
        }
    }

    /** A number as the dataset contract writes it: plain decimal, no exponent, no trailing zeros; else as given. */
    static String plainNumber(String v) {
        try {
            BigDecimal d = new BigDecimal(v.trim());
            if (d.signum() == 0) {
                return "0";
            }
            return d.stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return v;
        }
    }

    /** The metadata read so far (before the first SubjectData, all of it in a well-formed ODM file). */
    OdmMetadata metadata() {
        return metadata;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            xml.close();
        } catch (XMLStreamException ignored) {
            // nothing held
        }
    }
}
