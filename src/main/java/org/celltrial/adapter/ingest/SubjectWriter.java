package org.celltrial.adapter.ingest;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a subject's resources to the embedded HAPI JPA server in one database transaction, in process, together
 * with whatever the caller adds to that transaction (the message store's source hashes and record statuses), so
 * resources and their bookkeeping commit or roll back as one.
 *
 * <p>Each resource is an update (PUT) to its deterministic id through HAPI's resource DAO, the same call HAPI's
 * FHIR transaction makes per entry, so writing the same content again creates no new version and every storage
 * rule, index and interceptor of HAPI applies. What we skip is the bundle machinery around it, which our bundles do
 * not need (literal references only, no conditional URLs, no urn:uuid entries): it encoded each resource twice, walked every
 * resource for references and resolved ids per entry. The ids are resolved in one query up front, as HAPI's
 * transaction prefetch does; referenced types are written first, so references within the subject resolve.
 */
public class SubjectWriter {

    private static final Map<String, Integer> TYPE_ORDER = Map.of(
            "ResearchStudy", 0, "Patient", 1, "ResearchSubject", 2, "Procedure", 3, "MedicationAdministration", 4);
    /** Referenced types before the types that reference them (also the order of the benchmark's raw bundles). */
    public static final Comparator<Resource> WRITE_ORDER =
            Comparator.comparingInt(r -> TYPE_ORDER.getOrDefault(r.fhirType(), 9));

    private final DaoRegistry daoRegistry;
    private final IIdHelperService<?> idHelper;
    private final TransactionTemplate tx;

    public SubjectWriter(DaoRegistry daoRegistry, IIdHelperService<?> idHelper, TransactionTemplate tx) {
        this.daoRegistry = daoRegistry;
        this.idHelper = idHelper;
        this.tx = tx;
    }

    /** The current Provenance with this id, or null if there is none (never written, or deleted). */
    public Provenance readProvenance(String id) {
        try {
            return (Provenance) daoRegistry.getResourceDao("Provenance")
                    .read(new IdType("Provenance", id), new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    /** Writes the resources, then runs {@code alsoInTransaction}, in one transaction. */
    public void write(List<Resource> resources, Runnable alsoInTransaction) {
        List<Resource> ordered = new ArrayList<>(resources);
        ordered.sort(WRITE_ORDER);
        tx.executeWithoutResult(status -> {
            SystemRequestDetails request = new SystemRequestDetails();
            TransactionDetails details = new TransactionDetails();
            resolveIds(ordered, details);
            for (Resource r : ordered) {
                IFhirResourceDao<Resource> dao = daoRegistry.getResourceDao(r.fhirType());
                dao.update(r, null, true, false, request, details);
            }
            alsoInTransaction.run();
        });
    }

    /** Which of the ids exist (and as what), in one query; HAPI's update then neither looks them up nor guesses. */
    private void resolveIds(List<Resource> resources, TransactionDetails details) {
        Set<IIdType> ids = new HashSet<>();
        for (Resource r : resources) {
            ids.add(new IdType(r.fhirType(), r.getIdPart()));
        }
        Map<IIdType, ? extends IResourceLookup<?>> found = idHelper.resolveResourceIdentities(
                RequestPartitionId.defaultPartition(), ids, ResolveIdentityMode.includeDeleted().cacheOk());
        for (IIdType id : ids) {
            IResourceLookup<?> lookup = found.get(id);
            details.addResolvedResourceId(id, lookup == null ? null : lookup.getPersistentId());
        }
    }
}
