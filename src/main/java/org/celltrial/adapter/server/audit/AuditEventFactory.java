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
    /** A delivery's id in the message store ({@code /api/deliveries/{id}}). */
    static final String DELIVERY_ID_SYSTEM = "https://fhir.celltrial.org/sid/delivery";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String ADAPTER = "CellTrial FHIR Adapter";

    private AuditEventFactory() {
    }

    static AuditEvent toAuditEvent(AuditRecord record) {
        // Java 17: no pattern switch yet; the interface is sealed to these two
        return record instanceof IngestRunRecord r ? ingestRun(r.run()) : access((AccessRecord) record);
    }

    private static AuditEvent access(AccessRecord r) {
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

    /**
     * A run of the ingest pipeline: DICOM's "Import" (data brought into the system), the adapter as the requesting
     * application, the delivery as the entity (its id in the message store, {@code GET /api/deliveries/{id}}, and its
     * name, which the Provenance of every resource it wrote names), the run's counts as entity details. Its patients are not listed: the Provenance records name what a
     * delivery wrote, and a big delivery's thousands of subjects would make one unwieldy event.
     */
    private static AuditEvent ingestRun(org.celltrial.adapter.ingest.pipeline.IngestRun run) {
        AuditEvent e = new AuditEvent();
        e.setType(new Coding(DCM, "110107", "Import"));
        e.addSubtype(new Coding("https://fhir.celltrial.org/CodeSystem/audit-interaction",
                "ingest-" + run.kind().name().toLowerCase(java.util.Locale.ROOT), switch (run.kind()) {
                    case DELIVERY -> "Delivery ingested";
                    case REPROCESS -> "Delivery's failed records reprocessed";
                    case RECODE -> "Resources re-coded";
                }));
        e.setAction(AuditEvent.AuditEventAction.C);
        e.setRecorded(Date.from(run.ended()));
        e.getPeriod().setStart(Date.from(run.started())).setEnd(Date.from(run.ended()));
        e.setOutcome(switch (run.outcome()) {
            case COMPLETE -> AuditEvent.AuditEventOutcome._0;
            case WITH_REJECTIONS -> AuditEvent.AuditEventOutcome._4;
            case FAILED -> AuditEvent.AuditEventOutcome._8;
        });
        e.setOutcomeDesc(switch (run.outcome()) {
            case COMPLETE -> "all " + run.recordsRead() + " records stored";
            case WITH_REJECTIONS -> run.recordsStored() + " of " + run.recordsRead() + " records stored, "
                    + run.recordsRejected() + " rejected";
            case FAILED -> "not finished: " + run.failure();
        });
        AuditEvent.AuditEventAgentComponent adapter = e.addAgent().setRequestor(true);
        adapter.getType().addCoding(new Coding(DCM, "110150", "Application"));
        adapter.setWho(new Reference().setDisplay(ADAPTER + " ingest"));
        e.getSource().setSite(ADAPTER).setObserver(new Reference().setDisplay(ADAPTER))
                .addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        AuditEvent.AuditEventEntityComponent delivery = e.addEntity()
                .setWhat(new Reference().setIdentifier(new Identifier().setSystem(DELIVERY_ID_SYSTEM).setValue(run.deliveryId())))
                .setName(run.deliveryName())
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "20", "Job"));
        delivery.addDetail().setType("recordsRead").setValue(new org.hl7.fhir.r4.model.StringType(String.valueOf(run.recordsRead())));
        delivery.addDetail().setType("recordsStored").setValue(new org.hl7.fhir.r4.model.StringType(String.valueOf(run.recordsStored())));
        delivery.addDetail().setType("recordsRejected").setValue(new org.hl7.fhir.r4.model.StringType(String.valueOf(run.recordsRejected())));
        delivery.addDetail().setType("resourcesWritten").setValue(new org.hl7.fhir.r4.model.StringType(String.valueOf(run.resourcesWritten())));
        return e;
    }
}
