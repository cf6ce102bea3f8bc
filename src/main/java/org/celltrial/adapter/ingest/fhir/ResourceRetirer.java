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

import java.util.List;

/**
 * Applies the removed-row policy: when a re-delivered dataset no longer contains a row, the resources that
 * row produced must not stay current. A resource whose status can say so is marked {@code entered-in-error}
 * (Procedure, MedicationAdministration, Observation); any other (AdverseEvent, Patient, ResearchSubject) is
 * deleted, after a new version of its subject's Provenance without it; HAPI keeps both in history (a read of the
 * resource answers 410 Gone).
 */
public class ResourceRetirer {

    public enum Outcome { ENTERED_IN_ERROR, DELETED, NOT_FOUND, REFUSED }

    private final FhirContext ctx;
    private final DaoRegistry daoRegistry;

    public ResourceRetirer(FhirContext ctx, DaoRegistry daoRegistry) {
        this.ctx = ctx;
        this.daoRegistry = daoRegistry;
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    public Outcome retire(String ref) {
        IdType id = new IdType(ref);
        IFhirResourceDao dao = daoRegistry.getResourceDao(id.getResourceType());
        IBaseResource resource;
        try {
            resource = dao.read(id, new SystemRequestDetails());
        } catch (BaseServerResponseException e) {
            return Outcome.NOT_FOUND;
        }
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
            // leaves it out (the old versions of both stay readable in history)
            dropFromProvenance(id.getResourceType() + "/" + id.getIdPart());
            dao.delete(id, new SystemRequestDetails());
            return Outcome.DELETED;
        } catch (BaseServerResponseException stillReferenced) {
            return Outcome.REFUSED;
        }
    }
}
