package org.celltrial.adapter.server.subscription;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

import java.util.List;

/**
 * The parts of a stored R4 Subscription the dispatcher needs.
 *
 * @param owner the client that registered it (meta.tag {@link #OWNER_SYSTEM}), set by the server; {@link #LOCAL_OWNER}
 *              when security is off
 */
public record RestHookSubscription(String id, String criteria, String resourceType, String endpoint, String payload,
                                   List<String> headers, String owner, Subscription.SubscriptionStatus status) {

    /** meta.tag system naming the client that owns a Subscription (its client id). */
    public static final String OWNER_SYSTEM = "https://fhir.celltrial.org/CodeSystem/subscription-owner";
    /** The owner of Subscriptions registered while security was off. */
    public static final String LOCAL_OWNER = "local";

    public static RestHookSubscription of(Subscription s) {
        String criteria = s.getCriteria();
        int q = criteria == null ? -1 : criteria.indexOf('?');
        String type = criteria == null ? null : q < 0 ? criteria : criteria.substring(0, q);
        return new RestHookSubscription(s.getIdElement().getIdPart(), criteria, type, s.getChannel().getEndpoint(),
                s.getChannel().getPayload(), s.getChannel().getHeader().stream().map(StringType::getValue).toList(),
                ownerOf(s), s.getStatus());
    }

    public static String ownerOf(org.hl7.fhir.instance.model.api.IBaseResource s) {
        for (var tag : s.getMeta().getTag()) {
            if (OWNER_SYSTEM.equals(tag.getSystem())) {
                return tag.getCode();
            }
        }
        return null;
    }

    /** Replaces any owner tag with {@code owner}. */
    static void setOwner(Subscription s, String owner) {
        s.getMeta().getTag().removeIf(t -> OWNER_SYSTEM.equals(t.getSystem()));
        s.getMeta().addTag(new Coding(OWNER_SYSTEM, owner, null));
    }

    public boolean hasPayload() {
        return payload != null && !payload.isBlank();
    }
}
