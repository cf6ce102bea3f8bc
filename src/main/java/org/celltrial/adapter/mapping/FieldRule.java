package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One compiled line of a mapping: a target path, an optional condition, a value source and nested
 * rules relative to the target. Mapping a record is two-phase: {@link #prepare} converts and checks
 * every value (raising errors that name the column) before {@link #apply} touches any resource, so a
 * bad record never leaves half-written resources behind.
 */
public final class FieldRule {

    enum Kind { DATE, DATETIME, BOOLEAN, INTEGER, DECIMAL, PRIMITIVE, CODING, CODEABLE_CONCEPT, REFERENCE, COMPOSITE }

    private final ElementPath path;
    private final Kind kind;
    private final Condition when;
    private final ValueSource source;
    private final List<FieldRule> children;

    FieldRule(ElementPath path, Condition when, ValueSource source, List<FieldRule> children) {
        this.path = path;
        this.kind = kindOf(path.leaf());
        this.when = when;
        this.source = source;
        this.children = children;
        if (source != null && kind == Kind.COMPOSITE) {
            throw new IllegalArgumentException("'" + path + "' is a " + path.leaf().getName()
                    + ": give its parts as nested rules instead of a value");
        }
        if (!children.isEmpty() && !(path.leaf() instanceof ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?>)) {
            throw new IllegalArgumentException("'" + path + "' is a primitive and cannot have nested rules");
        }
    }

    Kind kind() {
        return kind;
    }

    /**
     * Converts a value known when the mapping is loaded (a constant, a translation target) as a record's value
     * would be, so that a value the target cannot hold (e.g. an unknown code for a required binding) stops
     * start-up instead of rejecting every record. Throws IllegalArgumentException with the reason.
     */
    void checkStaticValue(Object value) {
        try {
            convert(value, new RecordContext(new SourceRecord("", 0, java.util.Map.of()), null, "Z"));
        } catch (RecordMappingException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static Kind kindOf(BaseRuntimeElementDefinition<?> def) {
        Class<?> type = def.getImplementingClass();
        if (DateType.class.equals(type)) return Kind.DATE;
        if (DateTimeType.class.equals(type) || InstantType.class.equals(type)) return Kind.DATETIME;
        if (BooleanType.class.equals(type)) return Kind.BOOLEAN;
        if (IntegerType.class.isAssignableFrom(type)) return Kind.INTEGER;
        if (DecimalType.class.equals(type)) return Kind.DECIMAL;
        if (IPrimitiveType.class.isAssignableFrom(type)) return Kind.PRIMITIVE;
        if (Coding.class.equals(type)) return Kind.CODING;
        if (CodeableConcept.class.equals(type)) return Kind.CODEABLE_CONCEPT;
        if (Reference.class.equals(type)) return Kind.REFERENCE;
        return Kind.COMPOSITE;
    }

    /** A rule ready to apply: rendered selectors, converted value, prepared children. */
    record Prepared(FieldRule rule, String[] selectors, Object value, List<Prepared> children) {
    }

    Prepared prepare(RecordContext ctx) {
        if (when != null && !when.test(ctx.record())) {
            return null;
        }
        Object value = null;
        if (source != null) {
            Object raw = source.produce(ctx);
            if (raw == null) {
                return null;
            }
            value = convert(raw, ctx);
        }
        List<Prepared> preparedChildren = new ArrayList<>(children.size());
        for (FieldRule child : children) {
            Prepared p = child.prepare(ctx);
            if (p != null) {
                preparedChildren.add(p);
            }
        }
        if (source == null && preparedChildren.isEmpty()) {
            return null;
        }
        List<Template> selectorTemplates = path.selectorTemplates();
        String[] selectors = new String[selectorTemplates.size()];
        for (int i = 0; i < selectors.length; i++) {
            selectors[i] = selectorTemplates.get(i).render(ctx.record());
        }
        return new Prepared(this, selectors, value, preparedChildren);
    }

    private Object convert(Object raw, RecordContext ctx) {
        String column = source.column();
        if (raw instanceof List<?>) {
            if (kind == Kind.CODING || kind == Kind.CODEABLE_CONCEPT) {
                return raw;
            }
            raw = ValueSource.codings(raw).get(0).code();
        }
        String text = (String) raw;
        return switch (kind) {
            case CODING, CODEABLE_CONCEPT, REFERENCE -> text;
            case DATE -> primitive((IPrimitiveType<?>) path.newLeaf(), SdtmDates.toFhirDate(column, text), column, text);
            case DATETIME -> primitive((IPrimitiveType<?>) path.newLeaf(), SdtmDates.toFhirDateTime(column, text, ctx.zone()), column, text);
            case BOOLEAN -> new BooleanType(parseBoolean(column, text));
            case INTEGER -> {
                try {
                    yield primitive((IPrimitiveType<?>) path.newLeaf(), Integer.toString(Integer.parseInt(text.trim())), column, text);
                } catch (NumberFormatException e) {
                    throw new RecordMappingException(column, "'" + text + "' is not a whole number");
                }
            }
            case DECIMAL -> {
                try {
                    yield new DecimalType(new BigDecimal(text.trim()));
                } catch (NumberFormatException e) {
                    throw new RecordMappingException(column, "'" + text + "' is not a number");
                }
            }
            case PRIMITIVE -> primitive((IPrimitiveType<?>) path.newLeaf(), text, column, text);
            case COMPOSITE -> throw new IllegalStateException();
        };
    }

    private IPrimitiveType<?> primitive(IPrimitiveType<?> target, String fhirValue, String column, String original) {
        try {
            target.setValueAsString(fhirValue);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new RecordMappingException(column, "'" + original + "' is not a valid " + path.leaf().getName()
                    + " for " + path);
        }
        return target;
    }

    private static boolean parseBoolean(String column, String text) {
        switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "Y", "YES", "TRUE", "1":
                return true;
            case "N", "NO", "FALSE", "0":
                return false;
            default:
                throw new RecordMappingException(column, "'" + text + "' is not Y or N");
        }
    }

    void apply(IBase root, Prepared prepared) {
        Object value = prepared.value();
        IBase target;
        if (value instanceof IPrimitiveType<?> primitive) {
            if (path.canAssign()) {
                path.assign(root, prepared.selectors(), primitive);
                return;
            }
            target = path.walk(root, prepared.selectors());
            ((IPrimitiveType<?>) target).setValueAsString(primitive.getValueAsString());
            return;
        }
        target = path.walk(root, prepared.selectors());
        if (value != null) {
            fill(target, value);
        }
        for (Prepared child : prepared.children()) {
            child.rule().apply(target, child);
        }
    }

    private void fill(IBase target, Object value) {
        switch (kind) {
            case CODING -> {
                Coding coding = (Coding) target;
                if (value instanceof List<?>) {
                    copy(ValueSource.codings(value).get(0), coding);
                } else {
                    coding.setCode((String) value);
                }
            }
            case CODEABLE_CONCEPT -> {
                CodeableConcept cc = (CodeableConcept) target;
                if (value instanceof List<?>) {
                    for (CodingValue c : ValueSource.codings(value)) {
                        copy(c, cc.addCoding());
                    }
                } else {
                    cc.setText((String) value);
                }
            }
            case REFERENCE -> ((Reference) target).setReference((String) value);
            default -> throw new IllegalStateException("cannot fill " + kind);
        }
    }

    private static void copy(CodingValue from, Coding to) {
        to.setSystem(from.system()).setCode(from.code());
        if (from.display() != null) {
            to.setDisplay(from.display());
        }
    }
}
