package org.celltrial.adapter.server.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * On the FHIR API, notes for the audit trail what HAPI knows and the servlet filter does not: the interaction, and
 * the patients whose data the response carries (the Patients themselves, and the subject or patient that other
 * resources point at).
 */
public class AuditCapture {

    /** The request attribute naming the interaction (also set by requests answered before HAPI's handler: server/bulk). */
    public static final String INTERACTION = AuditCapture.class.getName() + ".interaction";
    static final String PATIENTS = AuditCapture.class.getName() + ".patients";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void interaction(RequestDetails request, RestOperationTypeEnum operation) {
        if (request instanceof ServletRequestDetails servlet && operation != null) {
            String name = operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                    || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                    || operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                    ? request.getOperation() : operation.getCode();
            servlet.getServletRequest().setAttribute(INTERACTION, name);
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void patients(RequestDetails request, ResponseDetails response) {
        if (!(request instanceof ServletRequestDetails servlet) || response.getResponseResource() == null) {
            return;
        }
        Set<String> patients = new LinkedHashSet<>();
        IBaseResource body = response.getResponseResource();
        if (body instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                patientOf(entry.getResource(), patients);
            }
        } else {
            patientOf(body, patients);
        }
        servlet.getServletRequest().setAttribute(PATIENTS, patients);
    }

    private static void patientOf(IBaseResource r, Set<String> patients) {
        if (r == null || patients.size() >= AccessRecord.MAX_PATIENTS) {
            return;
        }
        if (r.fhirType().equals("Patient")) {
            patients.add("Patient/" + r.getIdElement().getIdPart());
            return;
        }
        if (r instanceof Resource resource) {
            for (String name : new String[]{"subject", "patient", "individual"}) {
                var property = resource.getNamedProperty(name);
                if (property != null && property.hasValues() && property.getValues().get(0) instanceof Reference ref
                        && ref.getReference() != null && ref.getReference().startsWith("Patient/")) {
                    patients.add(ref.getReferenceElement().toUnqualifiedVersionless().getValue());
                    return;
                }
            }
        }
    }
}
