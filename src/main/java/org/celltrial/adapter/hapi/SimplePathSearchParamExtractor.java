package org.celltrial.adapter.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.searchparam.extractor.SearchParamExtractorR4;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HAPI's R4 search-parameter extractor, with the common expression shapes evaluated by walking the resource instead of
 * by the FHIRPath engine: {@code Type.a.b}, {@code Type.a.where(resolve() is T)} and {@code (Type.a as T)}. These
 * are most of FHIR's search parameters, and HAPI evaluates them for every resource it stores: in the ingest the FHIRPath
 * engine took ~8 % of a worker's CPU (docs/benchmarks.md).
 *
 * <p>Each shape does exactly what FHIRPathEngine (org.hl7.fhir.r4) does for it: a name step is
 * {@link Base#listChildrenByName(String, boolean)} without nulls (ids made unqualified, as the engine does);
 * {@code resolve() is T} keeps a Reference whose literal {@code Type/id} has type T, as HAPI's resolver (an empty
 * resource of the reference's type) and {@code is} decide; {@code as T} keeps elements of type T; a leading type the
 * resource is not gives nothing. Anything else (contained or absolute references, unknown types, other expressions,
 * Bundles) goes to the engine unchanged. {@code SimplePathSearchParamExtractorTest} compares both on every R4 search
 * parameter over the demo and synthetic studies and edge cases.
 *
 * <p>HAPI-COUPLING: a subclass of HAPI's {@code SearchParamExtractorR4} (an internal class) put in place of HAPI's
 * bean by {@link JpaBeanSwaps}; its overridden methods' contracts are HAPI's, not an API.
 */
public class SimplePathSearchParamExtractor extends SearchParamExtractorR4 {

    private static final Pattern NAMES = Pattern.compile("([A-Z][A-Za-z]*)((?:\\.[a-z][A-Za-z0-9]*)+)");
    private static final Pattern RESOLVE_IS = Pattern.compile(NAMES.pattern() + "\\.where\\(resolve\\(\\) is ([A-Z][A-Za-z]*)\\)");
    private static final Pattern AS = Pattern.compile("\\(" + NAMES.pattern() + " as ([A-Za-z]+)\\)");
    private static final Path BY_ENGINE = new Path(null, null, null, null);

    /** A parsed expression: root type, name steps, then an optional resolve()-is or as type. */
    private record Path(String root, String[] names, String resolvesTo, String asType) {
    }

    private final Map<String, Path> paths = new ConcurrentHashMap<>();
    private final Map<String, String[]> splits = new ConcurrentHashMap<>();

    /** For Spring, which injects HAPI's collaborators as it does for HAPI's own extractor. */
    public SimplePathSearchParamExtractor() {
    }

    SimplePathSearchParamExtractor(StorageSettings storage, PartitionSettings partitions, FhirContext ctx,
                                   ISearchParamRegistry registry) {
        super(storage, partitions, ctx, registry);
    }

    @Override
    public IValueExtractor getPathValueExtractor(IBase theResource, String theSinglePath) {
        Path path = paths.computeIfAbsent(theSinglePath, SimplePathSearchParamExtractor::parse);
        if (path == BY_ENGINE || !(theResource instanceof Base resource) || theResource instanceof IBaseBundle) {
            return super.getPathValueExtractor(theResource, theSinglePath);
        }
        if (!rootMatches(path.root(), resource)) {
            // HAPI evaluates every alternative of a shared parameter ("AllergyIntolerance.code | ... | Procedure.code")
            return List::of;
        }
        return () -> {
            List<Base> values = walk(resource, path.names());
            if (path.resolvesTo() != null) {
                values = resolvingTo(values, path.resolvesTo());
            } else if (path.asType() != null) {
                values = ofType(values, path.asType());
            }
            return values != null ? values : super.getPathValueExtractor(theResource, theSinglePath).get();
        };
    }

    /**
     * The engine's check of a leading type name: the resource's type or one it derives from (in R4 only Resource and
     * DomainResource are derived from); otherwise it gives nothing.
     */
    private static boolean rootMatches(String root, Base resource) {
        return root.equals(resource.fhirType())
                || root.equals("Resource") && resource instanceof Resource
                || root.equals("DomainResource") && resource instanceof DomainResource;
    }

    /** HAPI splits each expression at '|' twice per resource and parameter; the expressions are few and fixed. */
    @Override
    public String[] split(String thePaths) {
        return splits.computeIfAbsent(thePaths, super::split).clone();
    }

    /** Whether this expression (one of those a '|' separates) is walked directly. */
    static boolean isSimple(String expression) {
        return parse(expression) != BY_ENGINE;
    }

    private static Path parse(String expression) {
        String trimmed = expression.trim();
        Matcher m;
        if ((m = NAMES.matcher(trimmed)).matches()) {
            return new Path(m.group(1), steps(m.group(2)), null, null);
        }
        if ((m = RESOLVE_IS.matcher(trimmed)).matches() && !isAbstract(m.group(3)) && isResourceType(m.group(3))) {
            return new Path(m.group(1), steps(m.group(2)), m.group(3), null);
        }
        if ((m = AS.matcher(trimmed)).matches() && isType(m.group(3))) {
            return new Path(m.group(1), steps(m.group(2)), null, m.group(3));
        }
        return BY_ENGINE;
    }

    /** HAPI's resolver gives nothing for a reference to an unknown type (whatever "is" then asks): the engine's case. */
    private static boolean isResourceType(String type) {
        try {
            return org.hl7.fhir.r4.model.ResourceType.fromCode(type) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The engine refuses "as" with a type it does not know (HAPI then rejects the resource): left to it. */
    private static boolean isType(String type) {
        try {
            return org.hl7.fhir.r4.model.Enumerations.FHIRAllTypes.fromCode(type) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** For these, "is" also matches by the type's ancestors; left to the engine. */
    private static boolean isAbstract(String type) {
        return type.equals("Resource") || type.equals("DomainResource");
    }

    private static String[] steps(String dotted) {
        String[] parts = dotted.split("\\."); // ".a.b" -> "", "a", "b"
        return Arrays.copyOfRange(parts, 1, parts.length);
    }

    private static List<Base> walk(Base resource, String[] names) {
        List<Base> focus = List.of(resource);
        for (String name : names) {
            List<Base> next = new ArrayList<>();
            for (Base item : focus) {
                Base[] children = item.listChildrenByName(name, false);
                if (children != null) {
                    for (Base child : children) {
                        if (child != null) {
                            next.add(child instanceof IIdType id
                                    ? (Base) id.toUnqualifiedVersionless().withResourceType(null) : child);
                        }
                    }
                }
            }
            focus = next;
        }
        return focus;
    }

    /** The references of literal form Type/id with Type = type; null when one needs the engine (contained, absolute). */
    private static List<Base> resolvingTo(List<Base> values, String type) {
        List<Base> kept = new ArrayList<>();
        for (Base value : values) {
            if (!(value instanceof Reference reference)) {
                return null;
            }
            String literal = reference.getReference();
            if (literal == null) {
                continue;
            }
            if (literal.startsWith("#") || literal.indexOf(':') >= 0) {
                return null;
            }
            if (type.equals(new IdType(literal).getResourceType())) {
                kept.add(value);
            }
        }
        return kept;
    }

    /** For R4 the engine compares type names ignoring case and applies "as" to each element of a collection. */
    private static List<Base> ofType(List<Base> values, String type) {
        return values.stream().filter(v -> type.equalsIgnoreCase(v.fhirType())).toList();
    }
}
