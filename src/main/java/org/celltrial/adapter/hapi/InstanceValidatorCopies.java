package org.celltrial.adapter.hapi;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the validation reuse ({@code profiles/ValidationShape}) copied from the HL7 validator's
 * {@code InstanceValidator}: a resource whose values pass these checks gets the findings of another of the same
 * shape, so they must accept exactly what the validator accepts without a finding. The upgrade canary
 * ({@code HapiUpgradeCanaryTest}) runs the validator itself on a corpus of values at each check's edges and fails,
 * naming the check, when its verdict and ours part.
 */
public final class InstanceValidatorCopies {

    private InstanceValidatorCopies() {
    }

    /** HAPI-COUPLING: InstanceValidator.checkPrimitive's pattern for {@code date}. */
    public static final Pattern DATE = Pattern.compile(
            "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?");

    /** HAPI-COUPLING: InstanceValidator.checkPrimitive's pattern for {@code dateTime}. */
    public static final Pattern DATE_TIME = Pattern.compile(
            "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])"
                    + "(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?");

    private static final Pattern ZONE_OFFSET = Pattern.compile("[+-][0-9]{2}:[0-9]{2}$");

    /**
     * HAPI-COUPLING: a {@code date} InstanceValidator.checkPrimitive accepts without a finding: its pattern, a reasonable year, a
     * parse as the validator parses ({@code DateType}), and a real calendar day (2024-02-30 is refused).
     */
    public static boolean validDate(String s) {
        if (!DATE.matcher(s).matches() || !reasonableYear(s)) {
            return false;
        }
        try {
            new org.hl7.fhir.r5.model.DateType(s);
            return s.length() != 10 || java.time.LocalDate.parse(s) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * HAPI-COUPLING: a {@code dateTime} InstanceValidator.checkPrimitive accepts without a finding: its pattern, a
     * reasonable year, a zone on any time, a parse as the validator parses ({@code DateTimeType}), a real calendar day, no leap second.
     */
    public static boolean validDateTime(String s) {
        if (!DATE_TIME.matcher(s).matches() || !reasonableYear(s)) {
            return false;
        }
        if (s.contains("T") && !(s.endsWith("Z") || ZONE_OFFSET.matcher(s).find())) {
            return false; // a time without a zone is a finding
        }
        try {
            new org.hl7.fhir.r5.model.DateTimeType(s);
            if (s.length() >= 10) {
                java.time.LocalDate.parse(s.substring(0, 10));
            }
            return !s.contains(":60");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * HAPI-COUPLING: the validator warns about a year outside 1800 .. this year + 80 ("outside the range of reasonable
     * years"); ours keeps a margin from both ends.
     */
    static boolean reasonableYear(String s) {
        int year = Integer.parseInt(s.substring(0, 4));
        return year >= 1801 && year <= java.time.Year.now(java.time.ZoneOffset.UTC).getValue() + 78;
    }

    /** HAPI-COUPLING: the {@code id} datatype's pattern, as InstanceValidator checks a resource id. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /**
     * HAPI-COUPLING: the resource types InstanceValidator.checkSpecials hands to a validator class of their own
     * (Observation's only checks existence), whose findings depend on more than the shape.
     */
    public static final Set<String> OWN_VALIDATOR = Set.of("Bundle", "Questionnaire", "QuestionnaireResponse", "Measure",
            "MeasureReport", "CapabilityStatement", "CodeSystem", "ConceptMap", "OperationDefinition", "SearchParameter",
            "StructureDefinition", "StructureMap", "ValueSet", "ImplementationGuide", "Parameters");
}
