package org.celltrial.adapter.ingest.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies the removed-row policy: when a re-delivered dataset no longer contains a row, the resources that
 * row produced must not stay current. A resource whose status can say so is marked {@code entered-in-error}
 * (Procedure, MedicationAdministration, Observation); any other (AdverseEvent, Patient, ResearchSubject) is
 * deleted, after a new version of its subject's Provenance without it; HAPI keeps both in history (a read of the
 * resource answers 410 Gone).
 *
 * <p>This server enforces referential integrity on delete (HapiJpaConfig): HAPI refuses to delete a resource that
 * another stored resource still refers to. So {@link #retireAll} retires a set in dependency order, every resource
 * before the ones it refers to (an AdverseEvent and the ResearchSubject before their Patient), and a resource that is
 * still referred to afterwards is kept and reported as {@link Outcome#REFUSED} with the reason: a resource marked
 * entered-in-error stays in the server and keeps its references (a Procedure's subject), so its Patient cannot be
 * deleted; nor can one that a current resource outside the set refers to. Deleting the referring resources instead
 * would lose the entered-in-error trail the policy exists for.
 */
public class ResourceRetirer {

    public enum Outcome { ENTERED_IN_ERROR, DELETED, NOT_FOUND, REFUSED }

    /** What became of one resource; {@code reason} says why a REFUSED one was kept (types and counts, never ids). */
    public record Retirement(String ref, Outcome outcome, String reason) {
    }

    private final FhirContext ctx;
    private final DaoRegistry daoRegistry;
    private final TransactionTemplate tx;

    /** @param tx the FHIR storage's transactions: a refused delete must also undo the Provenance change before it */
    public ResourceRetirer(FhirContext ctx, DaoRegistry daoRegistry, TransactionTemplate tx) {
        this.ctx = ctx;
        this.daoRegistry = daoRegistry;
        this.tx = tx;
    }

    /**
     * Retires all these resources, each before the ones it refers to, and says what became of each (in that order).
     * References among the set are read from the stored resources; a cycle (none in the mappings) is broken in the
     * given order.
     */
    public List<Retirement> retireAll(Collection<String> refs) {
        // the references of each stored one (only those, not the resources: a whole study's retirement stays small)
        Map<String, List<String>> references = new LinkedHashMap<>();
        List<Retirement> done = new ArrayList<>();
        for (String ref : new LinkedHashSet<>(refs)) {
            IBaseResource r = read(ref);
            if (r == null) {
                done.add(new Retirement(ref, Outcome.NOT_FOUND, null));
                continue;
            }
            List<String> targets = new ArrayList<>();
            for (var info : ctx.newTerser().getAllResourceReferences(r)) {
                String target = info.getResourceReference().getReferenceElement().toUnqualifiedVersionless().getValue();
                if (target != null && !target.equals(ref)) {
                    targets.add(target);
                }
            }
            references.put(ref, targets);
        }
        // who refers to whom, within the set
        Map<String, Set<String>> refersTo = new HashMap<>();
        Map<String, Set<String>> referredBy = new HashMap<>();
        references.forEach((ref, targets) -> {
            Set<String> inSet = new LinkedHashSet<>();
            for (String target : targets) {
                if (references.containsKey(target)) {
                    inSet.add(target);
                    referredBy.computeIfAbsent(target, k -> new LinkedHashSet<>()).add(ref);
                }
            }
            refersTo.put(ref, inSet);
        });
        Map<String, Outcome> outcomes = new HashMap<>();
        for (String ref : dependencyOrder(references.keySet(), refersTo, referredBy)) {
            // read again when its turn comes, so that no resource is held in memory while the set is retired
            IBaseResource current = read(ref);
            Outcome o = current == null ? Outcome.NOT_FOUND : retire(ref, current);
            outcomes.put(ref, o);
            done.add(new Retirement(ref, o, o == Outcome.REFUSED
                    ? whyKept(referredBy.getOrDefault(ref, Set.of()), outcomes) : null));
        }
        return done;
    }

    /** Kahn's order: a resource comes when every resource of the set that refers to it has come. */
    private static List<String> dependencyOrder(Set<String> refs, Map<String, Set<String>> refersTo,
                                                Map<String, Set<String>> referredBy) {
        Map<String, Integer> waitingFor = new HashMap<>();
        refs.forEach(r -> waitingFor.put(r, referredBy.getOrDefault(r, Set.of()).size()));
        Deque<String> ready = new ArrayDeque<>();
        refs.stream().filter(r -> waitingFor.get(r) == 0).forEach(ready::add);
        List<String> order = new ArrayList<>(refs.size());
        while (order.size() < refs.size()) {
            if (ready.isEmpty()) {
                // a cycle: take the first left, in the given order
                refs.stream().filter(r -> waitingFor.get(r) >= 0).findFirst().ifPresent(ready::add);
            }
            String next = ready.poll();
            if (waitingFor.get(next) < 0) {
                continue;
            }
            waitingFor.put(next, -1);
            order.add(next);
            for (String target : refersTo.getOrDefault(next, Set.of())) {
                int left = waitingFor.get(target);
                if (left > 0 && --left == 0) {
                    ready.add(target);
                }
                if (left >= 0) {
                    waitingFor.put(target, left);
                }
            }
        }
        return order;
    }

    /** Why a resource was not deleted, by the resources of the set that still refer to it (types and outcomes). */
    private static String whyKept(Set<String> referrers, Map<String, Outcome> outcomes) {
        Map<String, Integer> kept = new TreeMap<>();
        for (String r : referrers) {
            Outcome o = outcomes.get(r);
            if (o == Outcome.ENTERED_IN_ERROR || o == Outcome.REFUSED) {
                kept.merge(new IdType(r).getResourceType() + " " + o, 1, Integer::sum);
            }
        }
        StringBuilder why = new StringBuilder("still referred to by ");
        if (!kept.isEmpty()) {
            List<String> parts = new ArrayList<>();
            kept.forEach((what, n) -> parts.add(n + " " + what));
            why.append("retired resources kept in the server (").append(String.join(", ", parts)).append(")");
        } else {
            why.append("current resources that this delivery did not retire");
        }
        return why.append("; the server refuses to delete a referenced resource").toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private IBaseResource read(String ref) {
        IdType id = new IdType(ref);
        try {
            return daoRegistry.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
        } catch (BaseServerResponseException e) {
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dropFromProvenance(String ref) {
        IFhirResourceDao provenances = daoRegistry.getResourceDao("Provenance");
        ca.uhn.fhir.jpa.searchparam.SearchParameterMap byTarget = ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous()
                .add("target", new ca.uhn.fhir.rest.param.ReferenceParam(ref));
        for (IBaseResource found : provenances.search(byTarget, new SystemRequestDetails()).getAllResources()) {
            org.hl7.fhir.r4.model.Provenance rest = ProvenanceFactory.without((org.hl7.fhir.r4.model.Provenance) found, ref);
            if (rest == null) {
                provenances.delete(found.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails());
            } else {
                provenances.update(rest, new SystemRequestDetails());
            }
        }
    }

    /** Retires one resource on its own (nothing else of a set is retired first: see {@link #retireAll}). */
    public Outcome retire(String ref) {
        IBaseResource resource = read(ref);
        return resource == null ? Outcome.NOT_FOUND : retire(ref, resource);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Outcome retire(String ref, IBaseResource resource) {
        IdType id = new IdType(ref);
        IFhirResourceDao dao = daoRegistry.getResourceDao(id.getResourceType());
        BaseRuntimeChildDefinition status = ctx.getResourceDefinition(resource).getChildByName("status");
        if (status != null) {
            List<IBase> values = status.getAccessor().getValues(resource);
            if (!values.isEmpty() && values.get(0) instanceof IPrimitiveType<?> code) {
                try {
                    code.setValueAsString("entered-in-error");
                    dao.update(resource, new SystemRequestDetails());
                    return Outcome.ENTERED_IN_ERROR;
                } catch (RuntimeException notAllowed) {
                    // this status has no entered-in-error: fall through to delete
                }
            }
        }
        try {
            // the subject's Provenance refers to it and would block the delete: a new version of the Provenance
            // leaves it out (the old versions of both stay readable in history). One transaction, so that a refused
            // delete leaves the Provenance naming the resource that is kept.
            tx.executeWithoutResult(txStatus -> {
                dropFromProvenance(id.getResourceType() + "/" + id.getIdPart());
                dao.delete(id.toUnqualifiedVersionless(), new SystemRequestDetails());
            });
            return Outcome.DELETED;
        } catch (BaseServerResponseException stillReferenced) {
            return Outcome.REFUSED;
        }
    }
}
