package org.celltrial.adapter.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads all resources of some types from a FHIR server over HTTP ({@code Type?_sort=_id&_count=500}, following the
 * next links) into a canonical form: "Type/id" → JSON without the server-assigned meta.versionId,
 * meta.lastUpdated and meta.source (and a Provenance's {@code recorded}, the time of its write), so the content of two
 * servers can be compared exactly.
 */
public final class FhirExport {

    public static final List<String> INGESTED_TYPES = List.of("ResearchStudy", "Patient", "ResearchSubject", "Procedure",
            "MedicationAdministration", "AdverseEvent", "Observation");

    /** The ingested types and the subjects' Provenance. */
    public static final List<String> INGESTED_TYPES_AND_PROVENANCE = java.util.stream.Stream
            .concat(INGESTED_TYPES.stream(), java.util.stream.Stream.of("Provenance")).toList();

    private static final FhirContext CTX = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The export: canonical JSON by "Type/id", version ids seen, and any id the paging returned twice. */
    public record Content(Map<String, String> resources, Map<String, String> versions, List<String> repeated) {
        public Map<String, Integer> countByType() {
            Map<String, Integer> counts = new TreeMap<>();
            resources.keySet().forEach(k -> counts.merge(k.substring(0, k.indexOf('/')), 1, Integer::sum));
            return counts;
        }
    }

    private FhirExport() {
    }

    public static Content export(String fhirBase, List<String> types) throws IOException, InterruptedException {
        IParser parser = CTX.newJsonParser();
        Map<String, String> resources = new TreeMap<>();
        Map<String, String> versions = new TreeMap<>();
        List<String> repeated = new ArrayList<>();
        for (String type : types) {
            String url = fhirBase + "/" + type + "?_sort=_id&_count=500";
            while (url != null) {
                Bundle page = parser.parseResource(Bundle.class, get(url));
                for (Bundle.BundleEntryComponent e : page.getEntry()) {
                    Resource r = e.getResource();
                    String key = r.fhirType() + "/" + r.getIdElement().getIdPart();
                    versions.put(key, r.getMeta().getVersionId());
                    r.getMeta().setVersionId(null);
                    r.getMeta().setLastUpdated(null);
                    r.getMeta().setSource(null);
                    if (r instanceof org.hl7.fhir.r4.model.Provenance p) {
                        p.setRecordedElement(null);   // the time of the write, like meta.lastUpdated
                    }
                    if (resources.put(key, parser.encodeResourceToString(r)) != null) {
                        repeated.add(key);
                    }
                }
                url = page.getLink(Bundle.LINK_NEXT) == null ? null : page.getLink(Bundle.LINK_NEXT).getUrl();
            }
        }
        return new Content(resources, versions, repeated);
    }

    /** The server's own count of each type ({@code _summary=count}). */
    public static Map<String, Integer> serverCounts(String fhirBase, List<String> types) throws IOException, InterruptedException {
        IParser parser = CTX.newJsonParser();
        Map<String, Integer> counts = new TreeMap<>();
        for (String type : types) {
            counts.put(type, parser.parseResource(Bundle.class, get(fhirBase + "/" + type + "?_summary=count")).getTotal());
        }
        return counts;
    }

    /** Differences between two exports, readable, at most {@code limit} lines per kind; empty when equal. */
    public static List<String> differences(Content expected, Content actual, int limit) {
        List<String> out = new ArrayList<>();
        Set<String> missing = new TreeSet<>(expected.resources().keySet());
        missing.removeAll(actual.resources().keySet());
        Set<String> extra = new TreeSet<>(actual.resources().keySet());
        extra.removeAll(expected.resources().keySet());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.resources().entrySet()) {
            String other = actual.resources().get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                changed.add(e.getKey());
            }
        }
        if (!missing.isEmpty()) out.add(missing.size() + " missing (lost): " + first(missing, limit));
        if (!extra.isEmpty()) out.add(extra.size() + " extra: " + first(extra, limit));
        if (!actual.repeated().isEmpty()) out.add(actual.repeated().size() + " returned twice: " + first(actual.repeated(), limit));
        if (!changed.isEmpty()) {
            out.add(changed.size() + " with different content: " + first(changed, limit));
            for (String k : changed.subList(0, Math.min(3, changed.size()))) {
                out.add("  " + k + "\n    expected " + expected.resources().get(k) + "\n    actual   " + actual.resources().get(k));
            }
        }
        return out;
    }

    private static String first(java.util.Collection<String> c, int limit) {
        return c.stream().limit(limit).toList() + (c.size() > limit ? " ..." : "");
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json")
                .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(500, r.body().length())));
        }
        return r.body();
    }
}
