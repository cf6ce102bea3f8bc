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
    /** The path from the resource, for data-quality issues: nested rules' paths are relative to their parent's. */
    private final String where;

    FieldRule(ElementPath path, Condition when, ValueSource source, List<FieldRule> children) {
        this(path, path.toString(), when, source, children);
    }

    FieldRule(ElementPath path, String where, Condition when, ValueSource source, List<FieldRule> children) {
        this.path = path;
        this.where = where;
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

    @Override
    public String toString() {
        return where;
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
            if (value == null) {
                return null; // NA in a numeric, date or flag column: no value
            }
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

    /** A CodeableConcept's codings from a translation, with the source text it keeps as {@code text}. */
    record CodedText(String text, List<CodingValue> codings) {
    }

    /** A value with no translation, kept as a Coding's display. */
    record DisplayOnly(String text) {
    }

    private Object convert(Object raw, RecordContext ctx) {
        String column = source.column();
        if (raw instanceof ValueSource.Translated t) {
            if (t.target() == null) {
                return untranslated(t, column, ctx);
            }
            if (kind == Kind.CODEABLE_CONCEPT && t.target() instanceof List<?>) {
                return new CodedText(t.text(), ValueSource.codings(t.target()));
            }
            raw = t.target();
        }
        if (raw instanceof List<?>) {
            if (kind == Kind.CODING || kind == Kind.CODEABLE_CONCEPT) {
                return raw;
            }
            raw = ValueSource.codings(raw).get(0).code();
        }
        String text = (String) raw;
        if (MissingValues.isNotAvailable(text) && kind != Kind.PRIMITIVE && kind != Kind.CODING
                && kind != Kind.CODEABLE_CONCEPT && kind != Kind.REFERENCE) {
            return null;
        }
        return switch (kind) {
            case CODING, CODEABLE_CONCEPT, REFERENCE -> text;
            case DATE -> primitive((IPrimitiveType<?>) path.newLeaf(), SdtmDates.toFhirDate(column, text), column, text);
            case DATETIME -> primitive((IPrimitiveType<?>) path.newLeaf(), SdtmDates.toFhirDateTime(column, text, ctx.zone()), column, text);
            case BOOLEAN -> new BooleanType(parseBoolean(column, text));
            case INTEGER -> {
                BigDecimal number = number(column, text);
                try {
                    // exports write whole numbers as 1.0 or 1E3 too
                    yield primitive((IPrimitiveType<?>) path.newLeaf(), Integer.toString(number.intValueExact()), column, text);
                } catch (ArithmeticException e) {
                    throw new RecordMappingException(column, "'" + text + "' is not a whole number");
                }
            }
            case DECIMAL -> new DecimalType(number(column, text));
            case PRIMITIVE -> primitive((IPrimitiveType<?>) path.newLeaf(), text, column, text);
            case COMPOSITE -> throw new IllegalStateException();
        };
    }

    /**
     * A number as exports write it: {@code 3.2}, {@code -7}, {@code 1.0}, {@code 1E3}. Exponents are resolved to a plain
     * number; one with more than 30 integer digits is refused, so a value like {@code 1E999999999} cannot make a huge
     * string.
     */
    static BigDecimal number(String column, String text) {
        BigDecimal number;
        try {
            number = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new RecordMappingException(column, "'" + text + "' is not a number");
        }
        if (number.precision() - number.scale() > 30 || number.scale() > 30) {
            throw new RecordMappingException(column, "'" + text + "' is out of range");
        }
        return number.scale() < 0 ? number.setScale(0) : number;
    }

    /**
     * The open world: a value the translation does not know is kept as text where the element can hold text (a
     * CodeableConcept's text, a Coding's display, a string), with a data-quality issue on the record. An element that
     * holds only codes (a code with a required binding, a date, a number) cannot keep it: the record is rejected.
     */
    private Object untranslated(ValueSource.Translated t, String column, RecordContext ctx) {
        Object kept = switch (kind) {
            case CODEABLE_CONCEPT -> requiredBinding ? NOT_SET : t.text();
            case CODING -> new DisplayOnly(t.text());
            // a code (Quantity.code, a required-binding code) cannot hold free text: a bound one rejects, an unbound one
            // keeps the value in the data-quality extension only (a unit stays readable in Quantity.unit)
            case PRIMITIVE -> path.newLeaf() instanceof org.hl7.fhir.r4.model.Enumeration<?> ? null
                    : "code".equals(path.leaf().getName()) ? NOT_SET
                    : primitive((IPrimitiveType<?>) path.newLeaf(), t.text(), column, t.text());
            default -> null;
        };
        if (kept == null) {
            throw t.translation().unmapped(column, t.text(), "; " + where + " holds only codes and cannot keep the text");
        }
        Translation tr = t.translation();
        ctx.issues().add(new DataQualityIssue(DataQualityIssue.UNMAPPED_TERM, column, t.text(),
                tr.url() != null ? tr.url() : tr.name(), where));
        return kept == NOT_SET ? null : kept;
    }

    /** The untranslated value stays only in the data-quality extension (see {@link #requiredBinding}). */
    private static final Object NOT_SET = new Object();

    /**
     * FHIR binds the element to its value set with strength "required" (AdverseEvent.outcome): a CodeableConcept there
     * cannot hold free text alone, so an untranslated value is kept in the resource's data-quality extension only.
     */
    private boolean requiredBinding;

    void bindingIsRequired() {
        this.requiredBinding = true;
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
                if (value instanceof DisplayOnly d) {
                    coding.setDisplay(d.text());
                } else if (value instanceof List<?>) {
                    copy(ValueSource.codings(value).get(0), coding);
                } else {
                    coding.setCode((String) value);
                }
            }
            case CODEABLE_CONCEPT -> {
                CodeableConcept cc = (CodeableConcept) target;
                if (value instanceof CodedText coded) {
                    for (CodingValue c : coded.codings()) {
                        copy(c, cc.addCoding());
                    }
                    if (!cc.hasText()) {
                        cc.setText(coded.text()); // the source text is always kept
                    }
                } else if (value instanceof List<?>) {
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
