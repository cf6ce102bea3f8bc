package org.celltrial.adapter.server.audit;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.nio.charset.StandardCharsets;
import java.util.Date;

/**
 * An {@link AccessRecord} as a FHIR AuditEvent, after IHE Basic Audit Log Patterns (BALP) where they fit: a RESTful
 * interaction with its subtype, the client as requesting agent (by client id and network address), the server as
 * the other agent and as observer, the request as a query entity, and one entity per patient whose data was returned.
 */
final class AuditEventFactory {

    static final String CLIENT_ID_SYSTEM = "https://fhir.celltrial.org/sid/client";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String ADAPTER = "CellTrial FHIR Adapter";

    private AuditEventFactory() {
    }

    static AuditEvent toAuditEvent(AccessRecord r) {
        AuditEvent e = new AuditEvent();
        if (r.interaction().equals("token")) {
            e.setType(new Coding(DCM, "110114", "User Authentication"));
            e.addSubtype(new Coding(DCM, "110122", "Login"));
            e.setAction(AuditEvent.AuditEventAction.E);
        } else {
            e.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "Restful Operation"));
            if (r.interaction().equals("admin-api")) {
                e.addSubtype(new Coding("https://fhir.celltrial.org/CodeSystem/audit-interaction", "admin-api", "Admin API"));
            } else {
                e.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", r.interaction(), null));
            }
            e.setAction(r.interaction().startsWith("$") || r.method().equals("POST") && r.interaction().equals("admin-api")
                    ? AuditEvent.AuditEventAction.E : AuditEvent.AuditEventAction.R);
        }
        e.setRecorded(Date.from(r.time()));
        e.setOutcome(r.status() < 400 ? AuditEvent.AuditEventOutcome._0
                : r.status() < 500 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._8);
        e.setOutcomeDesc("HTTP " + r.status());

        AuditEvent.AuditEventAgentComponent client = e.addAgent().setRequestor(true);
        client.getType().addCoding(new Coding(DCM, "110153", "Source Role ID"));
        if (r.client() != null) {
            client.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(r.client())));
        } else {
            client.setWho(new Reference().setDisplay("unauthenticated"));
        }
        if (r.address() != null) {
            client.getNetwork().setAddress(r.address()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        AuditEvent.AuditEventAgentComponent server = e.addAgent().setRequestor(false);
        server.getType().addCoding(new Coding(DCM, "110152", "Destination Role ID"));
        server.setWho(new Reference().setDisplay(ADAPTER));

        e.getSource().setSite(ADAPTER).setObserver(new Reference().setDisplay(ADAPTER))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        AuditEvent.AuditEventEntityComponent query = e.addEntity();
        query.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
        query.setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"));
        query.setQuery((r.method() + " " + r.request()).getBytes(StandardCharsets.UTF_8));
        for (String patient : r.patients()) {
            e.addEntity().setWhat(new Reference(patient))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                    .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
        }
        return e;
    }
}
