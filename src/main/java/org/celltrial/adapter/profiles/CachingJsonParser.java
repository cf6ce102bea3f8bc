package org.celltrial.adapter.profiles;

import org.hl7.fhir.exceptions.FHIRFormatError;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.utilities.validation.ValidationMessage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HL7 element-model JSON parser, remembering which StructureDefinition a resource type name resolves to.
 * ParserBase.getDefinition scans all ~650 StructureDefinitions (building a url string for each) for every resource
 * it parses; our definitions are fixed, so the answer for a name never changes. Not thread-safe: one per engine.
 */
final class CachingJsonParser extends JsonParser {

    private final Map<String, StructureDefinition> definitions = new HashMap<>();

    CachingJsonParser(IWorkerContext context) {
        super(context);
    }

    @Override
    protected StructureDefinition getDefinition(List<ValidationMessage> errors, int line, int col, String name) throws FHIRFormatError {
        StructureDefinition known = name == null ? null : definitions.get(name);
        if (known != null) {
            getContextUtilities().generateSnapshot(known); // as the superclass does on every hit (a no-op with a snapshot)
            return known;
        }
        StructureDefinition sd = super.getDefinition(errors, line, col, name);
        if (sd != null && name != null) {
            definitions.put(name, sd);
        }
        return sd;
    }
}
