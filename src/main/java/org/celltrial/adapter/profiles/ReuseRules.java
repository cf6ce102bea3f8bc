package org.celltrial.adapter.profiles;

import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.ElementDefinition;
import org.hl7.fhir.r5.model.Property;
import org.hl7.fhir.r5.model.StructureDefinition;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Which profiles and extensions let resources share findings by validation shape ({@link ValidationShape}), decided
 * from their StructureDefinitions, once per url. A profile refuses reuse (for the resources validated against it, not
 * for the others) when it, or a definition its elements name by {@code type.profile} (extensions, type profiles such
 * as Count on a Quantity, recursively), has:
 * <ul>
 * <li>an invariant (a constraint with an expression) that is not on {@link #KNOWN_INVARIANTS}, with that exact
 * expression: the list holds the invariants known to read values only as the shape keeps them (existence, codes and
 * urls, which the shape keeps verbatim, the sign of an integer or a Quantity's value, the order of a Period);</li>
 * <li>a value limit: maxLength, minValue, maxValue, a regex, minLength, maxDecimalPlaces, maxSize;</li>
 * <li>a fixed value or pattern that holds a value of a type the shape may replace by its class (string, id, date,
 * dateTime, integer, positiveInt, unsignedInt, decimal), e.g. a fixed Identifier.value: the validator compares it,
 * and slices on it;</li>
 * <li>a binding on a string element;</li>
 * <li>for an extension: a context invariant, or a context given as a FHIRPath expression (evaluated on the element that
 * holds the extension).</li>
 * </ul>
 * The core data types are analysed the same way, each on its own ({@link #allowsType}): a resource holding a value of
 * a type with such an invariant (e.g. cnt-3 of Count, which reads the decimals of the value) is not reused.
 * Definitions that cannot be found refuse nothing (an unknown profile or extension is reported the same way whatever
 * the values). Thread-safe.
 */
final class ReuseRules {

    /**
     * Invariants whose expressions read values only as the validation shape keeps them, by key, with the expression
     * they were reviewed with (whitespace collapsed). An invariant with another expression under one of these keys is
     * unknown. Invariants of nested resources (dom-2 .. dom-5, ref-1's contained ids) are safe because a resource with
     * contained or entry resources is never reused; narrative (txt-1, txt-2, dom-6 reads its existence) likewise.
     */
    static final Map<String, String> KNOWN_INVARIANTS = Map.ofEntries(
            // core: Element, Extension, DomainResource (existence, or only about contained resources and narrative)
            Map.entry("ele-1", "hasValue() or (children().count() > id.count())"),
            Map.entry("ext-1", "extension.exists() != value.exists()"),
            Map.entry("dom-2", "contained.contained.empty()"),
            Map.entry("dom-3", "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()"),
            Map.entry("dom-4", "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()"),
            Map.entry("dom-5", "contained.meta.security.empty()"),
            Map.entry("dom-6", "text.`div`.exists()"),
            Map.entry("txt-1", "htmlChecks()"),
            Map.entry("txt-2", "htmlChecks()"),
            // core data types
            Map.entry("per-1", "start.hasValue().not() or end.hasValue().not() or (start <= end)"), // order: in the shape
            Map.entry("ref-1", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))"), // '#...' kept verbatim
            Map.entry("qty-3", "code.empty() or system.exists()"),
            Map.entry("sqty-1", "comparator.empty()"),
            Map.entry("age-1", "(code.exists() or value.empty()) and (system.empty() or system = %ucum) and (value.empty() or value.hasValue().not() or value > 0)"), // sign: in the shape
            Map.entry("drt-1", "code.exists() implies ((system = %ucum) and value.exists())"),
            Map.entry("dis-1", "(code.exists() or value.empty()) and (system.empty() or system = %ucum)"),
            Map.entry("mqty-1", "(code.exists() or value.empty()) and (system.empty() or system = 'urn:iso:std:iso:4217')"),
            Map.entry("rng-2", "low.empty() or high.empty() or (low <= high)"), // a Range's values are kept verbatim
            Map.entry("rat-1", "(numerator.empty() xor denominator.exists()) and (numerator.exists() or extension.exists())"),
            Map.entry("att-1", "data.empty() or contentType.exists()"),
            Map.entry("cpt-2", "value.empty() or system.exists()"),
            Map.entry("tim-1", "duration.empty() or durationUnit.exists()"),
            Map.entry("tim-2", "period.empty() or periodUnit.exists()"),
            Map.entry("tim-4", "duration.exists() implies duration >= 0"), // decimals outside a plain Quantity: verbatim
            Map.entry("tim-5", "period.exists() implies period >= 0"),
            Map.entry("tim-6", "periodMax.empty() or period.exists()"),
            Map.entry("tim-7", "durationMax.empty() or duration.exists()"),
            Map.entry("tim-8", "countMax.empty() or count.exists()"),
            Map.entry("tim-9", "offset.empty() or (when.exists() and ((when in ('C' | 'CM' | 'CD' | 'CV')).not()))"),
            Map.entry("tim-10", "timeOfDay.empty() or when.empty()"),
            Map.entry("exp-1", "expression.exists() or reference.exists()"),
            Map.entry("drq-1", "path.exists() xor searchParam.exists()"),
            Map.entry("drq-2", "path.exists() xor searchParam.exists()"),
            Map.entry("trd-1", "data.empty() or timing.empty()"),
            Map.entry("trd-2", "condition.exists() implies data.exists()"),
            Map.entry("trd-3", "(type = 'named-event' implies name.exists()) and (type = 'periodic' implies timing.exists()) and (type.startsWith('data-') implies data.exists())"),
            // core resources we profile (existence, or codes: verbatim); Condition, Group, List and PlanDefinition are
            // profiled by the wave-2 package
            Map.entry("pat-1", "name.exists() or telecom.exists() or address.exists() or organization.exists()"),
            Map.entry("mad-1", "dose.exists() or rate.exists()"),
            Map.entry("obs-3", "low.exists() or high.exists() or text.exists()"),
            Map.entry("obs-6", "dataAbsentReason.empty() or value.empty()"),
            Map.entry("obs-7", "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()"),
            Map.entry("con-1", "summary.exists() or assessment.exists()"),
            Map.entry("con-2", "code.exists() or detail.exists()"),
            Map.entry("con-3", "clinicalStatus.exists() or verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or category.select($this='problem-list-item').empty()"),
            Map.entry("con-4", "abatement.empty() or clinicalStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-clinical' and (code='resolved' or code='remission' or code='inactive')).exists()"),
            Map.entry("con-5", "verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code='entered-in-error').empty() or clinicalStatus.empty()"),
            Map.entry("grp-1", "member.empty() or (actual = true)"), // a boolean: verbatim
            Map.entry("lst-1", "emptyReason.empty() or entry.empty()"),
            Map.entry("lst-2", "mode = 'changes' or entry.deleted.empty()"),
            Map.entry("lst-3", "mode = 'working' or entry.date.empty()"),
            Map.entry("pdf-0", "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')"), // a resource's own string: verbatim
            // ours (fhir-profiles/input/fsh)
            Map.entry("sdtm-dy-1", "value.exists() implies value != 0"), // the sign of an integer: in the shape
            // subject age instead of a birth date: existence of birthDate, and an extension url (verbatim)
            Map.entry("ct-pat-1", "birthDate.exists() or extension.where(url='https://fhir.celltrial.org/StructureDefinition/subject-age').exists()"),
            // a dose unless not done: a status code (verbatim) and existence
            Map.entry("ct-ma-1", "status = 'not-done' or dosage.dose.exists() or dosage.text.exists()"));

    /** Value types the shape may replace by a class: a fixed value or pattern holding one makes values matter. */
    private static final Set<String> FREE_TYPES = Set.of("string", "id", "date", "dateTime", "integer", "positiveInt",
            "unsignedInt", "decimal");

    private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final IWorkerContext worker;
    /** url → why resources validated against it must not share findings; empty when they may. */
    private final Map<String, Optional<String>> refusals = new ConcurrentHashMap<>();
    /** Core data type → why values of it make a resource not reusable; empty when they do not. */
    private final Map<String, Optional<String>> typeRefusals = new ConcurrentHashMap<>();
    /** Profile urls come from the resources (meta.profile): the caches stop growing at this size. */
    private static final int MAX_ENTRIES = 10_000;

    ReuseRules(IWorkerContext worker) {
        this.worker = worker;
    }

    /**
     * Why resources validated against the profile (or carrying the extension) {@code url} must each be validated
     * themselves, or null when they may share findings by shape.
     */
    String refusal(String url) {
        Optional<String> known = refusals.get(url);
        if (known == null) {
            known = Optional.ofNullable(analyse(url));
            if (refusals.size() < MAX_ENTRIES) {
                refusals.putIfAbsent(url, known);
            }
        }
        return known.orElse(null);
    }

    /** Whether the profile or extension {@code url} allows reuse (see {@link #refusal}). */
    boolean allows(String url) {
        return refusal(url) == null;
    }

    /**
     * Whether a resource holding a value of the core data type {@code type} (e.g. Period, Count) may be reused: the
     * invariants of the type's own definition (per-1, cnt-3, ...) are checked wherever such a value is, whatever the
     * profile says. Types without a definition of their own (backbone elements) allow reuse.
     */
    boolean allowsType(String type) {
        Optional<String> known = typeRefusals.get(type);
        if (known == null) {
            StructureDefinition sd = type.indexOf('.') < 0 ? fetch(CORE + type) : null;
            known = Optional.ofNullable(sd == null ? null : refusalOf(sd, null));
            if (typeRefusals.size() < MAX_ENTRIES) {
                typeRefusals.putIfAbsent(type, known);
            }
        }
        return known.isEmpty();
    }

    private String analyse(String url) {
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(url);
        while (!todo.isEmpty()) {
            String next = todo.poll();
            if (!seen.add(next)) {
                continue;
            }
            StructureDefinition sd = fetch(next);
            if (sd == null) {
                continue;
            }
            String why = refusalOf(sd, todo);
            if (why != null) {
                return next.equals(url) ? why : why + " of " + sd.getUrl();
            }
        }
        return null;
    }

    private StructureDefinition fetch(String url) {
        int bar = url.indexOf('|');
        try {
            return worker.fetchResource(StructureDefinition.class, bar < 0 ? url : url.substring(0, bar));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * What in this definition alone refuses reuse; the definitions its elements name by {@code type.profile} are added
     * to {@code todo} (if not null). The core data types of its elements are not followed: their invariants are
     * checked where a value of the type is ({@link #allowsType}), so that a choice of all types (Extension.value[x])
     * does not bring in every type's invariants.
     */
    private static String refusalOf(StructureDefinition sd, Deque<String> todo) {
        // an extension's context invariants are evaluated on the element that holds it (checkExtensionContext)
        if (sd.hasContextInvariant()) {
            return "a context invariant";
        }
        for (StructureDefinition.StructureDefinitionContextComponent c : sd.getContext()) {
            if (c.getType() == StructureDefinition.ExtensionContextType.FHIRPATH) {
                return "a FHIRPath context";
            }
        }
        for (ElementDefinition ed : sd.getSnapshot().getElement()) {
            for (ElementDefinition.ElementDefinitionConstraintComponent c : ed.getConstraint()) {
                if (c.hasExpression() && !isKnown(c.getKey(), c.getExpression())) {
                    return "invariant " + c.getKey();
                }
            }
            String path = ed.getPath();
            boolean valueRegex = ed.getType().stream().anyMatch(t -> t.hasExtension("http://hl7.org/fhir/StructureDefinition/regex"))
                    && !path.endsWith(".value") && !path.endsWith(".id") && !path.endsWith(".url");
            if (ed.hasMaxLength() || ed.hasMinValue() || ed.hasMaxValue() || valueRegex
                    || ed.hasExtension("http://hl7.org/fhir/StructureDefinition/regex")
                    || ed.hasExtension("http://hl7.org/fhir/StructureDefinition/minLength")
                    || ed.hasExtension("http://hl7.org/fhir/StructureDefinition/maxDecimalPlaces")
                    || ed.hasExtension("http://hl7.org/fhir/StructureDefinition/maxSize")) {
                return "a value limit on " + ed.getId();
            }
            if (ed.hasFixed() && holdsFreeValue(ed.getFixed()) || ed.hasPattern() && holdsFreeValue(ed.getPattern())) {
                return "a fixed value or pattern on " + ed.getId();
            }
            if (ed.hasBinding() && ed.getType().stream().anyMatch(t -> "string".equals(t.getWorkingCode()))) {
                return "a binding on the string " + ed.getId();
            }
            if (todo != null) {
                for (ElementDefinition.TypeRefComponent t : ed.getType()) {
                    for (CanonicalType p : t.getProfile()) {
                        todo.add(p.getValue()); // extensions, type profiles (e.g. a Quantity constrained to Count)
                    }
                }
            }
        }
        return null;
    }

    static boolean isKnown(String key, String expression) {
        String known = KNOWN_INVARIANTS.get(key);
        return known != null && normalise(known).equals(normalise(expression));
    }

    private static String normalise(String expression) {
        return WHITESPACE.matcher(expression.trim()).replaceAll(" ");
    }

    /** Whether a fixed value or pattern holds a value of a type the shape may replace by its class. */
    private static boolean holdsFreeValue(Base value) {
        if (value == null) {
            return false;
        }
        if (value.isPrimitive()) {
            return FREE_TYPES.contains(value.fhirType()) && value.hasPrimitiveValue();
        }
        for (Property p : value.children()) {
            for (Base child : p.getValues()) {
                if (holdsFreeValue(child)) {
                    return true;
                }
            }
        }
        return false;
    }
}
