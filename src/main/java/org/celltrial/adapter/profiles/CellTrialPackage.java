package org.celltrial.adapter.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Our FHIR IG {@code celltrial.fhir.adapter} (fhir-profiles/, packaged into the jar at {@code fhir-profiles/resources/}):
 * the conformance resources (StructureDefinitions, ValueSets, CodeSystems, ConceptMaps) by canonical url, and the
 * default profile of each resource type, used for resources that have no {@code meta.profile}.
 * The ImplementationGuide and the example instances are not loaded. Immutable, so safe to share between threads.
 */
public final class CellTrialPackage {

    /** Canonical base of everything in our IG. */
    public static final String CANONICAL_BASE = "https://fhir.celltrial.org";
    /** Classpath folder of the packaged IG resources. */
    public static final String CLASSPATH_FOLDER = "fhir-profiles/resources";

    private static final Set<String> CONFORMANCE_TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap");

    private final List<IBaseResource> resources;
    private final Map<String, IBaseResource> byUrl;
    private final Map<String, String> defaultProfiles;

    private CellTrialPackage(List<IBaseResource> resources) {
        Map<String, IBaseResource> urls = new LinkedHashMap<>();
        Map<String, List<String>> candidates = new TreeMap<>();
        for (IBaseResource r : resources) {
            MetadataResource m = (MetadataResource) r;
            if (m.hasUrl()) {
                IBaseResource clash = urls.put(m.getUrl(), r);
                if (clash != null) {
                    throw new IllegalStateException("two resources with url " + m.getUrl() + " in " + CLASSPATH_FOLDER);
                }
            }
            if (r instanceof StructureDefinition sd && sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                    && sd.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT
                    && sd.getUrl().startsWith(CANONICAL_BASE + "/StructureDefinition/")
                    && sd.getStatus() != Enumerations.PublicationStatus.RETIRED) {
                candidates.computeIfAbsent(sd.getType(), t -> new ArrayList<>()).add(sd.getUrl());
            }
        }
        Map<String, String> defaults = new TreeMap<>();
        candidates.forEach((type, urlsOfType) -> {
            if (urlsOfType.size() == 1) { // two profiles on one type: no default, the resource must say which
                defaults.put(type, urlsOfType.get(0));
            }
        });
        this.resources = List.copyOf(resources);
        this.byUrl = Collections.unmodifiableMap(urls);
        this.defaultProfiles = Collections.unmodifiableMap(defaults);
    }

    /** Loads the IG packaged on the classpath ({@value #CLASSPATH_FOLDER}/*.json). */
    public static CellTrialPackage load(FhirContext ctx) {
        Resource[] files;
        try {
            files = new PathMatchingResourcePatternResolver(CellTrialPackage.class.getClassLoader())
                    .getResources("classpath*:" + CLASSPATH_FOLDER + "/*.json");
        } catch (IOException e) {
            throw new IllegalStateException("cannot list classpath " + CLASSPATH_FOLDER + ": " + e.getMessage(), e);
        }
        Map<String, String> texts = new TreeMap<>();
        for (Resource f : files) {
            try (InputStream in = f.getInputStream()) {
                texts.put(f.getFilename(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        if (texts.isEmpty()) {
            throw new IllegalStateException("no FHIR profiles on the classpath at " + CLASSPATH_FOLDER + " (is the jar built with them?)");
        }
        return fromJson(ctx, texts);
    }

    /** Builds the package from file name → FHIR JSON text; resources that are not conformance resources are skipped. */
    public static CellTrialPackage fromJson(FhirContext ctx, Map<String, String> files) {
        List<IBaseResource> list = new ArrayList<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            IBaseResource r;
            try {
                r = ctx.newJsonParser().parseResource(e.getValue());
            } catch (DataFormatException ex) {
                throw new IllegalStateException("cannot parse " + e.getKey() + ": " + ex.getMessage(), ex);
            }
            if (CONFORMANCE_TYPES.contains(ctx.getResourceType(r))) {
                list.add(r);
            }
        }
        list.sort(Comparator.comparing(r -> ((MetadataResource) r).getUrl()));
        return new CellTrialPackage(list);
    }

    /** StructureDefinitions, ValueSets, CodeSystems and ConceptMaps of the IG, sorted by url. */
    public List<IBaseResource> conformanceResources() {
        return resources;
    }

    /** The conformance resource with this canonical url (a {@code |version} suffix is ignored). */
    public Optional<IBaseResource> byUrl(String canonical) {
        if (canonical == null) {
            return Optional.empty();
        }
        int bar = canonical.indexOf('|');
        return Optional.ofNullable(byUrl.get(bar < 0 ? canonical : canonical.substring(0, bar)));
    }

    /** Our profiles (StructureDefinitions that constrain a resource type; extensions not included). */
    public List<StructureDefinition> profiles() {
        return resources.stream().filter(r -> r instanceof StructureDefinition sd
                && sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE).map(r -> (StructureDefinition) r).toList();
    }

    /** The profile our resources of this type must meet, e.g. Patient → .../StructureDefinition/celltrial-patient. */
    public Optional<String> defaultProfile(String resourceType) {
        return Optional.ofNullable(defaultProfiles.get(resourceType));
    }

    /** Resource type → default profile url. */
    public Map<String, String> defaultProfiles() {
        return defaultProfiles;
    }
}
