package org.celltrial.adapter.mapping;

/**
 * Something a record's value lacked that did not make the record wrong: today a value our terminology does not
 * translate, kept as text. It travels with the resource (extension {@value #EXTENSION} and meta.tag
 * {@value #SYSTEM}|{@code kind}), the delivery report, the message store and the terminology worklist.
 *
 * @param kind        {@value #UNMAPPED_TERM}
 * @param variable    the SDTM variable (column), e.g. AEOUT
 * @param value       the source value as delivered
 * @param translation the ConceptMap url, or the translation's name for an inline table
 * @param element     where the code would have gone, e.g. AdverseEvent.outcome
 */
public record DataQualityIssue(String kind, String variable, String value, String translation, String element) {

    public static final String EXTENSION = "https://fhir.celltrial.org/StructureDefinition/data-quality-issue";
    public static final String SYSTEM = "https://fhir.celltrial.org/CodeSystem/data-quality-issue-type";
    public static final String UNMAPPED_TERM = "unmapped-term";

    /** The worklist's key of the value: the translation and the value as matched. */
    public String valueKey() {
        return Translation.key(value);
    }
}
