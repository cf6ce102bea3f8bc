package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the FHIR ConceptMaps of {@code mappings/terminology/} into translations keyed by canonical url.
 * Each element code is a source submission value; every target of every group becomes one coding, so a
 * value can translate to several code systems at once. Unmatched/disjoint targets are not translations.
 */
final class ConceptMapTranslations {

    private ConceptMapTranslations() {
    }

    static Map<String, Translation> parse(FhirContext ctx, Map<String, String> filesToJson) {
        Map<String, Translation> byUrl = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : filesToJson.entrySet()) {
            ConceptMap map;
            try {
                map = ctx.newJsonParser().parseResource(ConceptMap.class, file.getValue());
            } catch (DataFormatException | ClassCastException e) {
                throw new MappingDefinitionException("terminology/" + file.getKey(), 0, "not a FHIR ConceptMap: " + e.getMessage());
            }
            if (!map.hasUrl()) {
                throw new MappingDefinitionException("terminology/" + file.getKey(), 0, "ConceptMap has no url");
            }
            Map<String, Object> table = new LinkedHashMap<>();
            List<String> known = new ArrayList<>();
            for (ConceptMap.ConceptMapGroupComponent group : map.getGroup()) {
                for (ConceptMap.SourceElementComponent element : group.getElement()) {
                    known.add(element.getCode());
                    @SuppressWarnings("unchecked")
                    List<CodingValue> codings = (List<CodingValue>) table.computeIfAbsent(
                            Translation.key(element.getCode()), k -> new ArrayList<CodingValue>());
                    for (ConceptMap.TargetElementComponent target : element.getTarget()) {
                        ConceptMapEquivalence eq = target.getEquivalence();
                        if (eq == ConceptMapEquivalence.UNMATCHED || eq == ConceptMapEquivalence.DISJOINT) {
                            continue;
                        }
                        codings.add(new CodingValue(group.getTarget(), target.getCode(), target.getDisplay()));
                    }
                }
            }
            table.values().removeIf(v -> ((List<?>) v).isEmpty());
            addConceptCodes(table);
            if (byUrl.put(map.getUrl(), new Translation("ConceptMap " + map.getUrl(), map.getUrl(), table, known,
                    Translation.OnUnmapped.KEEP)) != null) {
                throw new MappingDefinitionException("terminology/" + file.getKey(), 0, "a second ConceptMap with url " + map.getUrl());
            }
        }
        return byUrl;
    }

    /**
     * CDISC Controlled Terminology has an NCI Thesaurus C-code for every submission value, and some exports deliver the
     * code instead of the value: an NCIt target code of an element matches as that element's source value too.
     */
    @SuppressWarnings("unchecked")
    private static void addConceptCodes(Map<String, Object> table) {
        Map<String, Object> byCode = new LinkedHashMap<>();
        for (Object targets : table.values()) {
            for (CodingValue c : (List<CodingValue>) targets) {
                if (NCIT.equals(c.system()) && c.code() != null) {
                    byCode.putIfAbsent(Translation.key(c.code()), targets);
                }
            }
        }
        byCode.forEach(table::putIfAbsent);
    }

    static final String NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl";
}
