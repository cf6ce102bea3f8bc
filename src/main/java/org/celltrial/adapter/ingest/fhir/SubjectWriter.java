package org.celltrial.adapter.ingest.fhir;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.svc.IIdHelperService;
import ca.uhn.fhir.jpa.api.svc.ResolveIdentityMode;
import ca.uhn.fhir.jpa.model.cross.IResourceLookup;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes subjects' resources to the embedded HAPI JPA server in one database transaction, in process, together
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

    /**
     * Ids per lookup query. HAPI asks for them with one OR term per id: PostgreSQL answers ~30 terms (a subject) in
     * 0.05 ms, but 300 took 100-150 ms (docs/benchmarks.md), hence 40. H2 cannot use an index for such an OR and reads
     * the whole resource table for every query with more than one term (70 % of the ingest's CPU with 62,000 resources
     * stored), so there each id is looked up alone, by the index.
     */
    public static final int IDS_PER_LOOKUP = 40;
    public static final int IDS_PER_LOOKUP_H2 = 1;

    private final DaoRegistry daoRegistry;
    private final IIdHelperService<?> idHelper;
    private final TransactionTemplate tx;
    private final int idsPerLookup;

    public SubjectWriter(DaoRegistry daoRegistry, IIdHelperService<?> idHelper, TransactionTemplate tx, int idsPerLookup) {
        this.daoRegistry = daoRegistry;
        this.idHelper = idHelper;
        this.tx = tx;
        this.idsPerLookup = Math.max(1, idsPerLookup);
    }

    /** Ids per lookup query on this database. */
    public int idsPerLookup() {
        return idsPerLookup;
    }

    /**
     * A resource built from its own current version, e.g. a subject's Provenance, whose entries for resources not
     * written now are kept. {@code build} gets the current version, or null when there is none.
     */
    public record Derived(String type, String id, Function<Resource, Resource> build) {
    }

    /**
     * Writes the resources and the derived ones, then runs {@code alsoInTransaction}, in one transaction. The
     * current versions of derived resources are read in that transaction, and only when the id lookup found them.
     */
    public void write(List<Resource> resources, List<Derived> derived, Runnable alsoInTransaction) {
        tx.executeWithoutResult(status -> {
            SystemRequestDetails request = new SystemRequestDetails();
            TransactionDetails details = new TransactionDetails();
            Set<IIdType> ids = new HashSet<>();
            resources.forEach(r -> ids.add(new IdType(r.fhirType(), r.getIdPart())));
            derived.forEach(d -> ids.add(new IdType(d.type(), d.id())));
            Set<IIdType> existing = resolveIds(ids, details);
            List<Resource> ordered = new ArrayList<>(resources);
            for (Derived d : derived) {
                IdType id = new IdType(d.type(), d.id());
                Resource current = existing.contains(id) ? read(id, request) : null;
                ordered.add(d.build().apply(current));
            }
            ordered.sort(WRITE_ORDER);
            for (Resource r : ordered) {
                IFhirResourceDao<Resource> dao = daoRegistry.getResourceDao(r.fhirType());
                dao.update(r, null, true, false, request, details);
            }
            alsoInTransaction.run();
        });
    }

    /**
     * The current version, or null if it is deleted. Read with deleted versions allowed: a "gone" answer would be an
     * exception inside our transaction, which HAPI's transaction service joins, and that marks it rollback-only.
     */
    private Resource read(IdType id, SystemRequestDetails request) {
        Resource current = (Resource) daoRegistry.getResourceDao(id.getResourceType()).read(id, request, true);
        return current == null || ResourceMetadataKeyEnum.DELETED_AT.get(current) != null ? null : current;
    }

    /**
     * Which of the ids exist (and as what); HAPI's update then neither looks them up nor guesses. Returns those that
     * exist, deleted or not. One query per {@link #idsPerLookup} ids.
     */
    private Set<IIdType> resolveIds(Set<IIdType> ids, TransactionDetails details) {
        Set<IIdType> existing = new HashSet<>();
        List<IIdType> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += idsPerLookup) {
            List<IIdType> piece = all.subList(from, Math.min(all.size(), from + idsPerLookup));
            Map<IIdType, ? extends IResourceLookup<?>> found = idHelper.resolveResourceIdentities(
                    RequestPartitionId.defaultPartition(), piece, ResolveIdentityMode.includeDeleted().cacheOk());
            for (IIdType id : piece) {
                IResourceLookup<?> lookup = found.get(id);
                details.addResolvedResourceId(id, lookup == null ? null : lookup.getPersistentId());
                if (lookup != null) {
                    existing.add(id);
                }
            }
        }
        return existing;
    }
}
