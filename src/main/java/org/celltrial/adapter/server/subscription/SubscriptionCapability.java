package org.celltrial.adapter.server.subscription;

import org.celltrial.adapter.server.CapabilityStatementCustomizer;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeType;

/**
 * Says in the CapabilityStatement's Subscription entry which channel is served: R4 has no element for it, so an
 * extension ({@link #CHANNEL_TYPE}, valueCode {@code rest-hook}) and the entry's documentation. Which interactions are
 * allowed is ServedInteractions' part (create, update, delete, read, search of Subscription).
 */
public class SubscriptionCapability implements CapabilityStatementCustomizer {

    public static final String CHANNEL_TYPE = "https://fhir.celltrial.org/StructureDefinition/subscription-channel-type";

    @Override
    public void customize(CapabilityStatement statement) {
        for (var rest : statement.getRest()) {
            for (var resource : rest.getResource()) {
                if ("Subscription".equals(resource.getType())) {
                    resource.getExtension().removeIf(e -> CHANNEL_TYPE.equals(e.getUrl()));
                    resource.addExtension(CHANNEL_TYPE, new CodeType("rest-hook"));
                    resource.setDocumentation("R4 rest-hook Subscriptions: channel.type rest-hook, an http(s) endpoint,"
                            + " payload empty (POST to the endpoint) or application/fhir+json|xml (PUT [endpoint]/[type]/[id]),"
                            + " criteria Type?params (chains such as patient.identifier allowed); notified of created and"
                            + " updated resources, retried with backoff, kept across restarts. With security on: scope"
                            + " system/Subscription.cruds (v1 .read/.write); a client sees its own Subscriptions and is"
                            + " notified of its granted studies only.");
                }
            }
        }
    }
}
