package org.celltrial.adapter.ingest.read.define;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a Define-XML 2.0 / 2.1 document says about a study's datasets: ItemGroupDefs (datasets), ItemDefs
 * (variables), CodeLists, and the value-level metadata (ValueListDefs with their WhereClauseDefs), each by OID in
 * document order. Immutable. Texts are the English (or only) TranslatedText; absent attributes are "" or 0.
 */
public record DefineXml(String studyOid, String studyName, String defineVersion,
                        Map<String, ItemGroupDef> itemGroups, Map<String, ItemDef> items,
                        Map<String, CodeList> codeLists, Map<String, ValueListDef> valueLists,
                        Map<String, WhereClauseDef> whereClauses) {

    public DefineXml {
        itemGroups = frozen(itemGroups);
        items = frozen(items);
        codeLists = frozen(codeLists);
        valueLists = frozen(valueLists);
        whereClauses = frozen(whereClauses);
    }

    /** The dataset of that name (ItemGroupDef/@Name, any case). */
    public Optional<ItemGroupDef> dataset(String name) {
        String wanted = name.toUpperCase(Locale.ROOT);
        return itemGroups.values().stream().filter(g -> g.name().equalsIgnoreCase(wanted)).findFirst();
    }

    /** The ItemDefs a dataset refers to, in ItemRef order (OrderNumber when given, else document order). */
    public List<ItemDef> variables(ItemGroupDef dataset) {
        List<ItemDef> variables = new ArrayList<>();
        for (ItemRef ref : dataset.itemRefs()) {
            ItemDef item = items.get(ref.itemOid());
            if (item != null) {
                variables.add(item);
            }
        }
        return variables;
    }

    /** The decode of a coded value in the variable's codelist, when the define has one. */
    public Optional<String> decode(ItemDef item, String codedValue) {
        CodeList list = codeLists.get(item.codeListOid());
        return list == null ? Optional.empty() : list.decode(codedValue);
    }

    /** A dataset. {@code label} is its Description. */
    public record ItemGroupDef(String oid, String name, String domain, String label, String structure,
                               String purpose, boolean repeating, List<ItemRef> itemRefs) {
        public ItemGroupDef {
            itemRefs = List.copyOf(itemRefs);
        }

        /** The key variables' ItemOIDs in KeySequence order. */
        public List<String> keyItemOids() {
            return itemRefs.stream().filter(r -> r.keySequence() > 0)
                    .sorted(java.util.Comparator.comparingInt(ItemRef::keySequence))
                    .map(ItemRef::itemOid).toList();
        }
    }

    /** A variable's use in a dataset or value list; {@code keySequence} and {@code orderNumber} are 0 when absent. */
    public record ItemRef(String itemOid, int orderNumber, int keySequence, boolean mandatory, String role,
                          String methodOid, List<String> whereClauseOids) {
        public ItemRef {
            whereClauseOids = List.copyOf(whereClauseOids);
        }
    }

    /** A variable. {@code label} is its Description; {@code length} and {@code significantDigits} 0 when absent. */
    public record ItemDef(String oid, String name, String dataType, int length, int significantDigits,
                          String displayFormat, String label, String codeListOid, Origin origin,
                          String valueListOid) {
    }

    /** def:Origin: Type (Collected, Derived, Assigned, Protocol, Predecessor, Not Available) and, in 2.1, Source. */
    public record Origin(String type, String source) {
        public static final Origin NONE = new Origin("", "");
    }

    /** A codelist: coded values with their decodes (EnumeratedItems have none) and NCI codes from Alias. */
    public record CodeList(String oid, String name, String dataType, String nciCode, List<CodeListItem> items) {
        public CodeList {
            items = List.copyOf(items);
        }

        public Optional<String> decode(String codedValue) {
            return items.stream().filter(i -> i.codedValue().equals(codedValue) && !i.decode().isEmpty())
                    .map(CodeListItem::decode).findFirst();
        }
    }

    /** One CodeListItem or EnumeratedItem; {@code decode} is "" for an EnumeratedItem. */
    public record CodeListItem(String codedValue, String decode, String nciCode, int orderNumber) {
    }

    /** Value-level metadata: the ItemDefs that apply to a variable under WhereClauses. */
    public record ValueListDef(String oid, List<ItemRef> itemRefs) {
        public ValueListDef {
            itemRefs = List.copyOf(itemRefs);
        }
    }

    /** A condition: all its RangeChecks hold. */
    public record WhereClauseDef(String oid, List<RangeCheck> rangeChecks) {
        public WhereClauseDef {
            rangeChecks = List.copyOf(rangeChecks);
        }
    }

    /** {@code itemOid} compared (EQ, NE, IN, NOTIN, LT, ...) with the CheckValues. */
    public record RangeCheck(String itemOid, String comparator, String softHard, List<String> checkValues) {
        public RangeCheck {
            checkValues = List.copyOf(checkValues);
        }
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
