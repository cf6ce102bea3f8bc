package org.celltrial.adapter.ingest.fhir;

import org.celltrial.adapter.mapping.FhirIds;
import org.celltrial.adapter.mapping.SourceRecord;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One Provenance per subject (and one for a study's study-level resources) naming where each of the subject's current
 * resources came from. Its targets are the resources; each entity is one source record used for one target: study,
 * dataset (domain), delivery, file and row in {@code what.identifier}, with the record's content hash, the mapping
 * version and the target it produced as extensions. Writing some of a subject's resources writes a new version of the
 * subject's Provenance in the same transaction: the entries of the rewritten targets are replaced, the others kept, so
 * {@code Provenance?target=X} always finds exactly one Provenance, whose history is the history of the subject's writes.
 *
 * <p>Why not one Provenance per resource: it doubled HAPI's writes (HAPI writes ~10 rows per resource), the largest
 * cost of the ingest after validation (docs/benchmarks.md).
 */
public final class ProvenanceFactory {

    public static final String BASE = "https://fhir.celltrial.org/StructureDefinition/";
    public static final String SOURCE_SYSTEM = "https://fhir.celltrial.org/sid/sdtm-source-record";
    public static final String MAPPING_VERSION = BASE + "mapping-version";
    public static final String CONTENT_HASH = BASE + "source-content-hash";
    /** On an entity: the target resource this source record was used for. */
    public static final String ENTITY_TARGET = BASE + "provenance-entity-target";

    /** A resource written now, with the source records it was mapped from. */
    public record Written(Resource resource, List<SourceRecord> sources) {
        String ref() {
            return resource.fhirType() + "/" + resource.getIdPart();
        }
    }

    private ProvenanceFactory() {
    }

    /** The Provenance of a subject's resources; {@code subjectId} null: the study-level resources of the study. */
    public static String idFor(String studyId, String subjectId) {
        return FhirIds.fromKey("prov-" + studyId + "-" + (subjectId == null ? "study" : "subject-" + subjectId));
    }

    /**
     * The subject's Provenance after writing {@code written}: the entries of {@code existing} (null: none yet) for other
     * targets, and new ones for the written resources.
     */
    public static Provenance merge(Provenance existing, String id, List<Written> written, String studyId, String deliveryName,
                                   String mappingVersion, Function<SourceRecord, String> hashOf,
                                   Function<SourceRecord, String> domainOf) {
        Set<String> rewritten = new HashSet<>();
        written.forEach(w -> rewritten.add(w.ref()));
        Provenance p = new Provenance();
        p.setId(id);
        org.celltrial.adapter.mapping.StudyTag.set(p, studyId);
        p.setRecorded(new Date());
        p.getActivity().setText("SDTM to FHIR mapping by the CellTrial FHIR Adapter");
        p.addAgent().setWho(new Reference().setDisplay("CellTrial FHIR Adapter"));
        p.addExtension(MAPPING_VERSION, new StringType(mappingVersion));
        List<String> targets = new ArrayList<>(rewritten);
        List<Provenance.ProvenanceEntityComponent> entities = new ArrayList<>();
        if (existing != null) {
            for (Reference t : existing.getTarget()) {
                String ref = versionless(t.getReference());
                if (!rewritten.contains(ref) && !targets.contains(ref)) {
                    targets.add(ref);
                }
            }
            for (Provenance.ProvenanceEntityComponent e : existing.getEntity()) {
                if (!rewritten.contains(targetOf(e))) {
                    entities.add(e.copy());
                }
            }
        }
        for (Written w : written) {
            for (SourceRecord s : w.sources()) {
                Provenance.ProvenanceEntityComponent e = new Provenance.ProvenanceEntityComponent()
                        .setRole(Provenance.ProvenanceEntityRole.SOURCE);
                String domain = domainOf.apply(s);
                e.getWhat().getIdentifier().setSystem(SOURCE_SYSTEM)
                        .setValue(studyId + "/" + domain + "/" + deliveryName + "/" + s.file() + "#row=" + s.row());
                e.getWhat().setDisplay("study " + studyId + ", dataset " + domain + ", delivery " + deliveryName
                        + ", file " + s.file() + ", row " + s.row());
                e.addExtension(CONTENT_HASH, new StringType(hashOf.apply(s)));
                e.addExtension(MAPPING_VERSION, new StringType(mappingVersion));
                e.addExtension(ENTITY_TARGET, new Reference(w.ref()));
                entities.add(e);
            }
        }
        targets.sort(Comparator.naturalOrder());
        targets.forEach(t -> p.addTarget(new Reference(t)));
        entities.sort(Comparator.comparing(ProvenanceFactory::targetOf).thenComparing(e -> e.getWhat().getIdentifier().getValue()));
        entities.forEach(p::addEntity);
        return p;
    }

    /** The Provenance without {@code ref} (a retired resource); null when nothing is left. */
    public static Provenance without(Provenance existing, String ref) {
        Provenance p = existing.copy();
        p.getTarget().removeIf(t -> versionless(t.getReference()).equals(ref));
        p.getEntity().removeIf(e -> targetOf(e).equals(ref));
        p.setRecorded(new Date());
        return p.getTarget().isEmpty() ? null : p;
    }

    /** The entities (source records) of one target. */
    public static List<Provenance.ProvenanceEntityComponent> entitiesOf(Provenance p, String ref) {
        return p.getEntity().stream().filter(e -> targetOf(e).equals(ref)).toList();
    }

    static String targetOf(Provenance.ProvenanceEntityComponent e) {
        Extension ext = e.getExtensionByUrl(ENTITY_TARGET);
        return ext != null && ext.getValue() instanceof Reference r ? versionless(r.getReference()) : "";
    }

    private static String versionless(String ref) {
        if (ref == null) {
            return "";
        }
        int h = ref.indexOf("/_history/");
        return h < 0 ? ref : ref.substring(0, h);
    }
}
