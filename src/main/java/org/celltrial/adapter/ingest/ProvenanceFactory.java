package org.celltrial.adapter.ingest;

import org.celltrial.adapter.mapping.FhirIds;
import org.celltrial.adapter.mapping.SourceRecord;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

import java.util.Date;
import java.util.List;

/**
 * One Provenance per stored resource, naming where it came from: study, dataset (domain), delivery, file,
 * row and content hash of every source record, and the mapping version. Its id derives from the target's,
 * so each resource has exactly one current Provenance, versioned along with it.
 */
public final class ProvenanceFactory {

    public static final String BASE = "https://fhir.celltrial.org/StructureDefinition/";
    public static final String SOURCE_SYSTEM = "https://fhir.celltrial.org/sid/sdtm-source-record";

    private ProvenanceFactory() {
    }

    public static String idFor(Resource target) {
        return idFor(target.fhirType(), target.getIdPart());
    }

    public static String idFor(String type, String id) {
        return FhirIds.fromKey("prov-" + type + "-" + id);
    }

    public static Provenance create(Resource target, List<SourceRecord> sources, String studyId, String deliveryName,
                                    String mappingVersion, java.util.function.Function<SourceRecord, String> hashOf,
                                    java.util.function.Function<SourceRecord, String> domainOf) {
        Provenance p = new Provenance();
        p.setId(idFor(target));
        p.addTarget(new Reference(target.fhirType() + "/" + target.getIdPart()));
        p.setRecorded(new Date());
        p.getActivity().setText("SDTM to FHIR mapping by the CellTrial FHIR Adapter");
        p.addAgent().setWho(new Reference().setDisplay("CellTrial FHIR Adapter"));
        p.addExtension(BASE + "mapping-version", new StringType(mappingVersion));
        for (SourceRecord s : sources) {
            Provenance.ProvenanceEntityComponent e = p.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE);
            String domain = domainOf.apply(s);
            e.getWhat().getIdentifier().setSystem(SOURCE_SYSTEM)
                    .setValue(studyId + "/" + domain + "/" + deliveryName + "/" + s.file() + "#row=" + s.row());
            e.getWhat().setDisplay("study " + studyId + ", dataset " + domain + ", delivery " + deliveryName
                    + ", file " + s.file() + ", row " + s.row());
            e.addExtension(BASE + "source-content-hash", new StringType(hashOf.apply(s)));
        }
        return p;
    }
}
