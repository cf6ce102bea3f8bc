package org.celltrial.adapter.ingest;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes resources to the embedded HAPI JPA server in one FHIR transaction, in process (no HTTP hop).
 * Every entry is a PUT to its deterministic id, so writing the same content again creates no new version,
 * and references to resources of the same bundle resolve because referenced types are written first.
 */
public class FhirTransactionWriter {

    private static final Map<String, Integer> TYPE_ORDER = Map.of(
            "ResearchStudy", 0, "Patient", 1, "ResearchSubject", 2, "Procedure", 3, "MedicationAdministration", 4);

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final DaoRegistry daoRegistry;

    @SuppressWarnings("unchecked")
    public FhirTransactionWriter(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
        this.systemDao = (IFhirSystemDao<Bundle, Meta>) daoRegistry.getSystemDao();
    }

    /** The current Provenance with this id, or null if there is none (never written, or deleted). */
    public org.hl7.fhir.r4.model.Provenance readProvenance(String id) {
        try {
            return (org.hl7.fhir.r4.model.Provenance) daoRegistry.getResourceDao("Provenance")
                    .read(new org.hl7.fhir.r4.model.IdType("Provenance", id), new SystemRequestDetails());
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException
                 | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return null;
        }
    }

    public Bundle write(List<Resource> resources) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        resources.stream()
                .sorted(Comparator.comparingInt(r -> TYPE_ORDER.getOrDefault(r.fhirType(), 9)))
                .forEach(r -> bundle.addEntry()
                        .setResource(r)
                        .getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "/" + r.getIdPart()));
        return systemDao.transaction(new SystemRequestDetails(), bundle);
    }
}
