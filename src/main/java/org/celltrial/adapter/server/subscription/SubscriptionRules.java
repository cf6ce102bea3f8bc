package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a Subscription a client writes must be (R4): channel rest-hook, an endpoint {@link EndpointCheck} accepts,
 * criteria {@code Type?params} of a type this server stores, parsed by HAPI's match-URL parser with the search
 * parameters this server indexes; payload empty or a FHIR JSON/XML mime type; headers {@code Name: value}.
 */
public final class SubscriptionRules {

    static final Set<String> PAYLOADS = Set.of("application/fhir+json", "application/json", "application/fhir+xml",
            "application/xml", "application/json+fhir", "application/xml+fhir");
    /** Headers the HTTP client sets itself (and refuses to take). */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "content-type");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");

    private final FhirContext ctx;
    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final EndpointCheck endpoints;

    public SubscriptionRules(FhirContext ctx, DaoRegistry daos, MatchUrlService matchUrls, EndpointCheck endpoints) {
        this.ctx = ctx;
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.endpoints = endpoints;
    }

    /** Null when acceptable, else why not (the client's own values are not repeated). */
    public String refusal(Subscription s) {
        if (s.getChannel().getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            return "only channel.type rest-hook is supported";
        }
        String criteria = s.getCriteria();
        if (criteria == null || criteria.isBlank()) {
            return "criteria is required";
        }
        int q = criteria.indexOf('?');
        String type = q < 0 ? criteria : criteria.substring(0, q);
        if (!daos.isResourceTypeSupported(type) || type.equals("Subscription") || type.equals("AuditEvent")) {
            return "criteria must start with a resource type this server stores (e.g. Procedure?patient.identifier=...)";
        }
        try {
            matchUrls.translateMatchUrl(criteria, ctx.getResourceDefinition(type));
        } catch (Exception e) {
            return "criteria cannot be used as a search: " + e.getMessage();
        }
        String payload = s.getChannel().getPayload();
        if (payload != null && !payload.isBlank() && !PAYLOADS.contains(payload.toLowerCase(Locale.ROOT).trim())) {
            return "channel.payload must be empty, application/fhir+json or application/fhir+xml";
        }
        for (StringType h : s.getChannel().getHeader()) {
            String v = h.getValue();
            int colon = v == null ? -1 : v.indexOf(':');
            if (colon <= 0 || !HEADER_NAME.matcher(v.substring(0, colon).trim()).matches()
                    || v.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                return "each channel.header must be 'Name: value'";
            }
            if (RESERVED_HEADERS.contains(v.substring(0, colon).trim().toLowerCase(Locale.ROOT))) {
                return "channel.header may not set Host, Content-Type, Content-Length, Connection, Expect, Upgrade or Transfer-Encoding";
            }
        }
        return endpoints.refusal(s.getChannel().getEndpoint());
    }
}
