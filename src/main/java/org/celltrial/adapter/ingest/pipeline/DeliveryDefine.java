package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.read.define.DefineXml;
import org.celltrial.adapter.ingest.read.define.DefineXml.CodeList;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemGroupDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.ItemRef;
import org.celltrial.adapter.ingest.read.define.DefineXml.RangeCheck;
import org.celltrial.adapter.ingest.read.define.DefineXml.ValueListDef;
import org.celltrial.adapter.ingest.read.define.DefineXml.WhereClauseDef;
import org.celltrial.adapter.ingest.read.define.DefineXmlReader;
import org.celltrial.adapter.ingest.read.define.UnreadableDefineXmlException;
import org.celltrial.adapter.mapping.DomainMapping;
import org.celltrial.adapter.mapping.MissingValues;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The delivery's Define-XML as the read stage uses it, or {@link #NONE}. Found by its name ({@code define.xml}, any
 * case, anywhere in the folder or zip) and read with the hardened {@link DefineXmlReader}. Per dataset
 * ({@link #dataset}) it gives the report the define's label and the variables the define and the data disagree on, and
 * per record the type errors and the decodes. A delivery without a define, or whose define cannot be read, is read
 * exactly as before.
 */
final class DeliveryDefine {

    /** Suffix of the value that carries a variable's codelist decode: {@code DSDECOD.DECODE}. */
    static final String DECODE_SUFFIX = DomainMapping.DECODE_SUFFIX;
    static final String FILE_NAME = "define.xml";

    /** No define in the delivery (or none usable): nothing is checked, decoded or reported. */
    static final DeliveryDefine NONE = new DeliveryDefine(null, null);

    private final String file;
    private final DefineXml define;
    private final Set<String> datasetsSeen = new LinkedHashSet<>();

    private DeliveryDefine(String file, DefineXml define) {
        this.file = file;
        this.define = define;
    }

    static DeliveryDefine of(String file, DefineXml define) {
        return new DeliveryDefine(file, define);
    }

    static boolean isDefine(String fileName) {
        // a file of a zip is named without its folders (DeliveryFile), so "study/define.xml" is "define.xml" here
        return fileName.equalsIgnoreCase(FILE_NAME);
    }

    /**
     * The delivery's define: none if it has no {@code define.xml}. A define that cannot be read (broken XML, a DOCTYPE,
     * over a limit), or two of them, reject that file in the report (so the delivery goes to error/ and the user sees
     * it) and the datasets are read as if there were none: the define is a description of the data, not the data.
     */
    static DeliveryDefine load(List<DeliveryFile> files, IngestReport report) {
        List<DeliveryFile> defines = files.stream().filter(f -> isDefine(f.name())).toList();
        if (defines.isEmpty()) {
            return NONE;
        }
        if (defines.size() > 1) {
            for (DeliveryFile f : defines) {
                report.rejectFile(f.name(), null, defines.size() + " Define-XML files in this delivery; none of them was"
                        + " used (which one describes the datasets cannot be known): deliver one define.xml", 0);
            }
            return NONE;
        }
        DeliveryFile f = defines.get(0);
        try {
            DefineXml define = new DefineXmlReader().read(f.name(), f.open());
            report.note(f.name() + ": Define-XML " + define.defineVersion() + " with " + define.itemGroups().size()
                    + " datasets; used to check data types, to decode codelist values and in this report");
            return new DeliveryDefine(f.name(), define);
        } catch (UnreadableDefineXmlException e) {
            report.rejectFile(f.name(), null, notUsed(e.getMessage()), 0);
        } catch (IOException e) {
            report.rejectFile(f.name(), null, notUsed(f.name() + ": could not be read: " + e.getClass().getSimpleName()), 0);
        } catch (RuntimeException e) {
            // a parser failure we did not foresee must not end the delivery: its datasets are still read
            report.rejectFile(f.name(), null, notUsed(f.name() + ": could not be read: " + e.getClass().getSimpleName()), 0);
        }
        return NONE;
    }

    private static String notUsed(String why) {
        return "Define-XML not used (" + why + "); the datasets were read without it";
    }

    boolean present() {
        return define != null;
    }

    /**
     * The define's view of one dataset as delivered ({@code name} is the dataset name: file stem or XPT member),
     * listed in the report; {@link Dataset#NONE} when there is no define or it does not describe the dataset.
     */
    Dataset dataset(String name, String file, Set<String> columns, IngestReport report) {
        if (define == null) {
            return Dataset.NONE;
        }
        ItemGroupDef group = define.dataset(name).orElse(null);
        if (group == null) {
            report.defineDataset(file, null, List.of(), List.of(), this.file + " does not describe dataset " + name);
            return Dataset.NONE;
        }
        datasetsSeen.add(group.oid());
        Map<String, ItemDef> byName = new LinkedHashMap<>();
        for (ItemDef item : define.variables(group)) {
            byName.putIfAbsent(item.name().toUpperCase(Locale.ROOT), item);
        }
        List<String> lacking = byName.keySet().stream().filter(v -> !columns.contains(v)).toList();
        List<String> undeclared = columns.stream().filter(c -> !c.isBlank() && !byName.containsKey(c)).toList();
        report.defineDataset(file, group.label(), lacking, undeclared, null);
        byName.keySet().retainAll(columns);
        return new Dataset(define, byName);
    }

    /**
     * The define's datasets no file of the delivery brought ({@code delivered}: the names of all datasets read, those
     * rejected whole included, since they were delivered), for the report once all files are read.
     */
    void reportDatasetsNotDelivered(Set<String> delivered, IngestReport report) {
        if (define == null) {
            return;
        }
        List<String> missing = new ArrayList<>();
        define.itemGroups().values().forEach(g -> {
            if (!datasetsSeen.contains(g.oid()) && !delivered.contains(g.name().toUpperCase(Locale.ROOT))) {
                missing.add(g.name());
            }
        });
        if (!missing.isEmpty()) {
            report.note(file + " describes " + missing.size() + " dataset(s) this delivery does not have: "
                    + String.join(", ", missing));
        }
    }

    /** What the define says about the variables one dataset has. */
    static final class Dataset {

        static final Dataset NONE = new Dataset(null, Map.of());

        private final DefineXml define;
        /** The delivered columns the define declares, by name. */
        private final Map<String, ItemDef> variables;

        private Dataset(DefineXml define, Map<String, ItemDef> variables) {
            this.define = define;
            this.variables = variables;
        }

        /**
         * The first variable of the record whose value does not fit the DataType the define declares for it (the
         * variable's own ItemDef; value-level types are not checked, see docs/dataset-formats.md), or null.
         */
        String typeError(Map<String, String> values) {
            for (Map.Entry<String, ItemDef> v : variables.entrySet()) {
                if (!DefineTypes.fits(v.getValue().dataType(), values.get(v.getKey()))) {
                    return v.getKey();
                }
            }
            return null;
        }

        String dataType(String variable) {
            ItemDef item = variables.get(variable);
            return item == null ? "" : item.dataType();
        }

        /**
         * The record's values plus, for each of the {@code wanted} variables (those the dataset's mapping reads the
         * decode of) with a codelist decode for its value, {@code <VARIABLE>.DECODE} with the decode; the values
         * themselves are returned unchanged when there is none. The codelist is the one of the value-level ItemDef
         * whose WhereClause holds for the record, else the variable's own. Only wanted decodes, so that a define
         * changes a stored record (and its hash, which decides whether its resources are written again) only where
         * a mapping uses what it adds.
         */
        Map<String, String> withDecodes(Map<String, String> values, Set<String> wanted) {
            Map<String, String> out = null;
            for (Map.Entry<String, ItemDef> v : variables.entrySet()) {
                if (!wanted.contains(v.getKey())) {
                    continue;
                }
                String value = values.get(v.getKey());
                if (value == null || value.isEmpty() || MissingValues.isSasMissing(value)) {
                    continue;
                }
                CodeList list = codeList(v.getValue(), values);
                String decode = list == null ? null : list.decode(value).orElse(null);
                if (decode != null) {
                    if (out == null) {
                        out = new LinkedHashMap<>(values);
                    }
                    out.put(v.getKey() + DECODE_SUFFIX, decode);
                }
            }
            return out == null ? values : out;
        }

        /** The decode columns a record of this dataset may carry, in variable order. */
        List<String> decodeColumns(Map<String, String> values) {
            List<String> out = new ArrayList<>();
            for (String v : variables.keySet()) {
                if (values.containsKey(v + DECODE_SUFFIX)) {
                    out.add(v + DECODE_SUFFIX);
                }
            }
            return out;
        }

        private CodeList codeList(ItemDef item, Map<String, String> values) {
            if (!item.valueListOid().isEmpty()) {
                ValueListDef list = define.valueLists().get(item.valueListOid());
                if (list != null) {
                    for (ItemRef ref : list.itemRefs()) {
                        if (holds(ref, values)) {
                            ItemDef valueLevel = define.items().get(ref.itemOid());
                            if (valueLevel != null && !valueLevel.codeListOid().isEmpty()) {
                                return define.codeLists().get(valueLevel.codeListOid());
                            }
                            break; // the value-level definition that applies has no codelist: no decode
                        }
                    }
                }
            }
            return item.codeListOid().isEmpty() ? null : define.codeLists().get(item.codeListOid());
        }

        /** Any of the ItemRef's WhereClauses holds (none means always); a clause holds when all its checks do. */
        private boolean holds(ItemRef ref, Map<String, String> values) {
            if (ref.whereClauseOids().isEmpty()) {
                return true;
            }
            for (String oid : ref.whereClauseOids()) {
                WhereClauseDef clause = define.whereClauses().get(oid);
                if (clause != null && clause.rangeChecks().stream().allMatch(c -> holds(c, values))) {
                    return true;
                }
            }
            return false;
        }

        /** EQ, NE, IN, NOTIN on the value as text; other comparators (LT, GE...) are not evaluated and never hold. */
        private boolean holds(RangeCheck check, Map<String, String> values) {
            ItemDef item = define.items().get(check.itemOid());
            if (item == null) {
                return false;
            }
            String value = values.getOrDefault(item.name().toUpperCase(Locale.ROOT), "").trim();
            if (MissingValues.isSasMissing(value)) {
                value = ""; // as the mapping reads it: a SAS missing value is no value
            }
            String finalValue = value;
            List<String> wanted = check.checkValues().stream().map(String::trim).toList();
            return switch (check.comparator().toUpperCase(Locale.ROOT)) {
                case "EQ", "IN" -> wanted.contains(finalValue);
                case "NE", "NOTIN" -> !wanted.contains(finalValue);
                default -> false;
            };
        }
    }
}
