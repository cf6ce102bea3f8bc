package org.celltrial.adapter.profiles;

import org.celltrial.adapter.hapi.InstanceValidatorCopies;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The validation shape of a resource: everything the HL7 validator's findings can depend on, with the values that
 * provably cannot change them replaced by their class. Two resources with the same shape get the same findings, so
 * the findings of one can be given for the other ({@link ProfileValidator}).
 *
 * <p>A value is replaced by a class token only when it is "clean": it passes every value check the validator makes for
 * its type (InstanceValidator.checkPrimitive of HL7 core 6.7: format regexes, real calendar dates, reasonable years,
 * timezone with a time, whitespace, control and bidi characters, HTML tags, id syntax), no check of the validator reads
 * it together with another part of the resource, and no invariant of the profiles reads it beyond its existence, sign
 * or order. The value-reading invariants that are allowed are listed in {@link ReuseRules#KNOWN_INVARIANTS}: per-1
 * (Period start &lt;= end: the order is part of the shape), sdtm-dy-1 and the integer types (value != 0, &gt; 0,
 * &gt;= 0: the sign is part of the shape), ref-1 (a reference starting with '#': such references are kept verbatim).
 * Profiles with other invariants, value limits (maxLength, minValue/maxValue, regex, ...), fixed values or patterns
 * on such values, or bound strings are not reused at all ({@link ReuseRules}). Everything else is kept verbatim:
 * codes, systems, displays, URIs, canonicals, booleans, decimals, extension URLs, narrative, and any value that is not
 * clean.
 *
 * <p>Checks of the validator that read a value together with another part of the resource (InstanceValidator 6.7),
 * and what the shape does about them:
 * <ul>
 * <li>checkIdentifier: the value under system urn:ietf:rfc:3986 must be an absolute URI, under
 * https://tools.ietf.org/html/rfc4122 a UUID. Identifier.value is free only without a system or under one of our own
 * systems ({@value CellTrialPackage#CANONICAL_BASE}/...), for which the validator has no rule;</li>
 * <li>checkAttachment: size against the length of data (and hash): an Attachment's values are kept verbatim;</li>
 * <li>validateElement: element ids must be unique in a resource: ids (of the resource and its elements) become the
 * index of their first occurrence, so the key keeps which ids are equal;</li>
 * <li>contained resources (ref-1 and dom-3 compare their ids with '#' references), Bundle entries (fullUrl against
 * the resource's type and id, references resolved in the Bundle), Parameters: a resource with a resource inside is
 * never reused; nor are the resource types that have their own validator class (Bundle, Questionnaire, ValueSet, ...,
 * see {@link #OWN_VALIDATOR}; Observation's only checks existence);</li>
 * <li>checkQuantity: a Quantity's value is only read with minValue/maxValue/maxDecimalPlaces (profile limits, see
 * above); its code and system are verbatim;</li>
 * <li>checkReference: the type of a literal reference is part of the shape; the id is only resolved inside a Bundle
 * or against contained resources, both never reused; the display is only read for its existence;</li>
 * <li>codings: code, system, version and display are verbatim, but for the code of a system the validator knows
 * nothing of (an undefined system of ours, e.g. the study tag's: no CodeSystem or ValueSet it has names it, so no
 * binding or code check can tell its codes apart), which is free when it passes the code whitespace rule;
 * CodeableConcept.text is only compared with displays
 * when an AI service is configured (it is not);</li>
 * <li>extensions: the string values of our own extensions are free (their definitions are analysed by
 * {@link ReuseRules}); those of other extensions are kept verbatim; a resource carrying an extension whose definition
 * refuses reuse is not reused.</li>
 * </ul>
 *
 * <p>Free values are collected too: a validation whose messages quote one of them cannot be reused for another
 * resource, because its messages would carry the wrong value.
 */
final class ValidationShape {

    // the validator's own patterns and special types, copied (hapi/InstanceValidatorCopies, checked by its canary)
    private static final Pattern ID = InstanceValidatorCopies.ID;
    static final Set<String> OWN_VALIDATOR = InstanceValidatorCopies.OWN_VALIDATOR;
    // ours: stricter than the validator (values outside them are simply not reused)
    private static final Pattern LITERAL_REFERENCE = Pattern.compile("([A-Z][A-Za-z]{1,63})/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]{0,8})(\\.[0-9]{1,6})?");

    /** Identifier systems whose values the validator has no rule for: ours. */
    private static final String OUR_SYSTEMS = CellTrialPackage.CANONICAL_BASE + "/";

    private final StringBuilder key = new StringBuilder(2048);
    /** Quantity types whose value no check reads but by its sign (Age: age-1), so the shape keeps only the sign. */
    private static final java.util.Set<String> SIGNED_QUANTITIES = java.util.Set.of("Quantity", "Age");
    private final List<String> freeValues = new ArrayList<>();
    /** Free codes, as the validator quotes them: system#code. */
    private final List<String> freeCodes = new ArrayList<>();
    private final Predicate<String> extensionAllowed;
    private final Predicate<String> freeExtensionStrings;
    private final Predicate<String> typeAllowed;
    private final Predicate<String> freeCodeSystem;
    /** Resource and element ids seen, with the index of their first occurrence. */
    private Map<String, Integer> ids;
    private boolean reusable = true;
    /** Inside a Range or Ratio, whose invariants compare their quantities. */
    private int keepDecimals;

    private ValidationShape(Predicate<String> extensionAllowed, Predicate<String> freeExtensionStrings, Predicate<String> typeAllowed,
                            Predicate<String> freeCodeSystem) {
        this.extensionAllowed = extensionAllowed;
        this.freeExtensionStrings = freeExtensionStrings;
        this.typeAllowed = typeAllowed;
        this.freeCodeSystem = freeCodeSystem;
    }

    /**
     * The shape of {@code resource} validated against {@code profiles}, or null when it must be validated itself; any
     * extension and data type is allowed, and no extension's strings and no codes are free.
     */
    static ValidationShape of(Resource resource, List<String> profiles) {
        return of(resource, profiles, url -> true, url -> false, type -> true, system -> false);
    }

    /**
     * The shape of {@code resource} validated against {@code profiles}, or null when it must be validated itself.
     *
     * @param extensionAllowed     whether a resource carrying the extension with this (absolute) url may be reused
     * @param freeExtensionStrings whether the string value of the extension with this url may be replaced by its class
     * @param typeAllowed          whether a resource holding a value of this complex data type may be reused
     * @param freeCodeSystem       whether the codes of Codings of this system may be replaced by their class: a system
     *                             the validator knows no code of (see {@link ProfileValidator})
     */
    static ValidationShape of(Resource resource, List<String> profiles, Predicate<String> extensionAllowed,
                              Predicate<String> freeExtensionStrings, Predicate<String> typeAllowed,
                              Predicate<String> freeCodeSystem) {
        ValidationShape shape = new ValidationShape(extensionAllowed, freeExtensionStrings, typeAllowed, freeCodeSystem);
        shape.key.append(String.join(" ", profiles)).append('\n');
        if (OWN_VALIDATOR.contains(resource.fhirType())) {
            return null;
        }
        shape.resource(resource);
        return shape.reusable ? shape : null;
    }

    String key() {
        return key.toString();
    }

    /** The values that were replaced by their class, but for the free codes. */
    List<String> freeValues() {
        return freeValues;
    }

    /**
     * The free codes, in the order of the resource, each as the validator quotes a coding ({@code system#code}): a
     * finding about such a coding names it, so its message is given to another resource of the shape with that
     * resource's code in its place ({@link ProfileValidator}).
     */
    List<String> freeCodes() {
        return freeCodes;
    }

    private void resource(Resource r) {
        // narrative (xhtml) is checked in detail by the validator: no reuse
        if (r instanceof DomainResource d && !d.getText().isEmpty()) {
            reusable = false;
            return;
        }
        key.append(r.fhirType()).append('{');
        children(r);
        key.append('}');
    }

    private void children(Base b) {
        for (ChildValues.Child child : ChildValues.of(b)) {
            if (!reusable) {
                return;
            }
            Base[] values = ChildValues.values(b, child);
            for (int i = 0; i < values.length; i++) {
                Base v = values[i];
                if (v == null || v.isEmpty()) {
                    continue;
                }
                if (v instanceof Resource) {
                    // contained, Bundle.entry.resource, Parameters: ids and references are compared across them
                    reusable = false;
                    return;
                }
                key.append(child.name()).append('[').append(i).append("]:").append(v.fhirType());
                element(b, child.name(), v);
                key.append(';');
            }
        }
    }

    private void element(Base parent, String name, Base v) {
        if (v instanceof Extension ext) {
            String url = ext.getUrl();
            if (url != null && url.contains(":") && !extensionAllowed.test(url)) {
                reusable = false;
                return;
            }
            key.append("<").append(url).append('>');
        }
        if (v instanceof PrimitiveType<?> primitive) {
            key.append('=');
            value(parent, name, primitive);
        } else if (!typeAllowed.test(v.fhirType())) {
            reusable = false; // a data type with an invariant that reads values (e.g. Count: cnt-3)
            return;
        }
        if (v instanceof Period period) {
            key.append(order(period));
        }
        boolean compares = v instanceof org.hl7.fhir.r4.model.Range || v instanceof org.hl7.fhir.r4.model.Ratio
                || v instanceof org.hl7.fhir.r4.model.SampledData;
        keepDecimals += compares ? 1 : 0;
        key.append('{');
        children(v);
        key.append('}');
        keepDecimals -= compares ? 1 : 0;
    }

    private void value(Base parent, String name, PrimitiveType<?> p) {
        String value = p.getValueAsString();
        if (value == null) {
            key.append('-');
            return;
        }
        String token;
        if (parent instanceof org.hl7.fhir.r4.model.Attachment) {
            token = null; // size is compared with the data (and hash): all verbatim
        } else if (name.equals("id")) {
            // element ids must be unique in a resource: keep which ids are equal (the resource's id is the first)
            token = parent instanceof Resource ? ID.matcher(value).matches() ? id(value) : null
                    : cleanString(value) ? id(value) : null;
        } else {
            token = token(parent, name, p, value);
        }
        if (token == null) {
            key.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
            key.append(token);
            if (token.equals("C")) {
                freeCodes.add(((org.hl7.fhir.r4.model.Coding) parent).getSystem() + "#" + value);
            } else {
                freeValues.add(value);
            }
        }
    }

    private String id(String value) {
        if (ids == null) {
            ids = new HashMap<>();
        }
        Integer first = ids.putIfAbsent(value, ids.size());
        return "I" + (first == null ? ids.size() - 1 : first);
    }

    private String token(Base parent, String name, PrimitiveType<?> p, String value) {
        return switch (p.fhirType()) {
            case "string" -> parent instanceof Reference && name.equals("reference") ? reference(value)
                    : freeString(parent, name) && cleanString(value) ? "S" : null;
            case "date" -> cleanDate(value) ? "D" + value.length() : null;
            case "dateTime" -> cleanDateTime(value) ? "T" + value.length() + (value.contains("T") ? "t" : "") : null;
            // the code of a system no CodeSystem or ValueSet the validator has defines or lists (our study tag's:
            // the STUDYID): whatever binding applies, the validator cannot tell one such code from another, only
            // check its syntax (and a finding that quotes it is not reused: free values)
            case "code" -> parent instanceof org.hl7.fhir.r4.model.Coding coding && name.equals("code")
                    && coding.getSystem() != null && freeCodeSystem.test(coding.getSystem()) && cleanCode(value) ? "C" : null;
            case "integer", "positiveInt", "unsignedInt" -> INTEGER.matcher(value).matches() ? "N" + Integer.signum(Integer.parseInt(value)) : null;
            // a plain Quantity's value: no invariant reads it; an Age's only by its sign (age-1: value > 0). Range,
            // Ratio, SampledData compare theirs, Count (cnt-3) and Duration, Distance... are kept verbatim
            case "decimal" -> keepDecimals == 0 && name.equals("value") && SIGNED_QUANTITIES.contains(parent.fhirType())
                    && DECIMAL.matcher(value).matches() ? "Q" + new java.math.BigDecimal(value).signum() : null;
            default -> null;
        };
    }

    /**
     * Strings the validator checks only as strings: no binding or terminology lookup can apply to them (a display or
     * a bound string would be checked against a value set), and no check reads them with a sibling, so only these may
     * be free.
     */
    private boolean freeString(Base parent, String name) {
        return parent instanceof org.hl7.fhir.r4.model.Identifier identifier && name.equals("value") && ourSystem(identifier)
                || parent instanceof Reference && name.equals("display")
                || parent instanceof org.hl7.fhir.r4.model.CodeableConcept && name.equals("text")
                // our extensions' strings: ReuseRules refuses the extensions that bind or limit them
                || parent instanceof Extension ext && name.equals("value[x]") && freeExtensionStrings.test(ext.getUrl())
                || parent instanceof org.hl7.fhir.r4.model.HumanName;
    }

    /** No system, or one of ours: InstanceValidator.checkIdentifier has value rules for urn:ietf:rfc:3986 and rfc4122. */
    private static boolean ourSystem(org.hl7.fhir.r4.model.Identifier identifier) {
        String system = identifier.getSystem();
        return system == null || system.startsWith(OUR_SYSTEMS);
    }

    private static String reference(String value) {
        var m = LITERAL_REFERENCE.matcher(value);
        return m.matches() ? "R:" + m.group(1) : null;
    }

    /** No finding of checkPrimitive for a string: not blank, no outer whitespace, no control/bidi chars, no markup. */
    static boolean cleanString(String s) {
        if (s.isEmpty() || s.length() > 4096 || s.charAt(0) <= ' ' || s.charAt(s.length() - 1) <= ' ' || s.startsWith("$")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c == '<' || c == '>' || (c >= 0x7f && c < 0xa0) || (c >= 0x2000 && c <= 0x206f)
                    || Character.isSurrogate(c) || c >= 0xfff0) {
                return false;
            }
        }
        return true;
    }

    /**
     * No finding of checkPrimitive for a code: a clean string whose only whitespace is single spaces between
     * non-blank parts (the validator's code whitespace rule).
     */
    static boolean cleanCode(String s) {
        if (!cleanString(s)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((Character.isWhitespace(c) || Character.isSpaceChar(c)) && (c != ' ' || s.charAt(i - 1) == ' ')) {
                return false;
            }
        }
        return true;
    }

    /** A date the validator accepts without a finding (in the years it does not warn about). */
    static boolean cleanDate(String s) {
        return InstanceValidatorCopies.validDate(s);
    }

    /** A dateTime the validator accepts without a finding (in the years it does not warn about). */
    static boolean cleanDateTime(String s) {
        return InstanceValidatorCopies.validDateTime(s);
    }

    /** per-1 reads the order of start and end; keep it in the shape when both are there. */
    private String order(Period period) {
        BaseDateTimeType start = period.getStartElement(), end = period.getEndElement();
        if (start.getValue() == null || end.getValue() == null) {
            return "";
        }
        String s = start.getValueAsString(), e = end.getValueAsString();
        if (s.length() != e.length() || s.length() < 10 || (s.length() > 10 && s.length() < 20)) {
            reusable = false; // precisions that FHIRPath may compare as unknown: validate it itself
            return "";
        }
        return start.getValue().compareTo(end.getValue()) <= 0 ? "(le)" : "(gt)";
    }
}
