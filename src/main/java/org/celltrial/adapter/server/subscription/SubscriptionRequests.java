package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.celltrial.adapter.server.security.SmartScopes;
import org.celltrial.adapter.server.security.TokenClients;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Clients' requests on Subscription (registered on the RestfulServer, so it sees both its server pointcuts and the
 * storage pointcuts of the DAO calls those requests make):
 * <ul>
 *   <li>a Subscription written is checked ({@link SubscriptionRules}: 422 when refused), its status set to
 *       {@code active} (R4: the server activates a {@code requested} one; {@code off} stays off) and its owner set to the
 *       writing client (meta.tag {@link RestHookSubscription#OWNER_SYSTEM}; whatever the client sent there is replaced);
 *   </li>
 *   <li>with security on, a client sees, updates and deletes only its own Subscriptions (another's answers 404, as if
 *       it did not exist), and each of create, update, delete needs its SMART scope ({@code system/Subscription.c},
 *       {@code .u}, {@code .d}, or v1 {@code system/Subscription.write});</li>
 *   <li>a write must send a FHIR/JSON/XML Content-Type: a web page cannot make a browser send one without asking
 *       first (CORS preflight), so a page cannot register a Subscription on a loopback server.</li>
 * </ul>
 * HAPI-COUPLING: the JPA DAOs broadcast the STORAGE_* pointcuts also to the interceptors registered on the request's
 * RestfulServer (CompositeInterceptorBroadcaster), as StudyAccess relies on too; PRESTORAGE_RESOURCE_UPDATED passes the
 * stored version first, the new one second.
 */
@Interceptor
public class SubscriptionRequests {

    private static final String TYPE = "Subscription";

    private final SubscriptionRules rules;
    private final boolean security;

    public SubscriptionRequests(SubscriptionRules rules, boolean security) {
        this.rules = rules;
        this.security = security;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void incoming(RequestDetails request, RestOperationTypeEnum operation) {
        if (!TYPE.equals(request.getResourceName())) {
            return;
        }
        if (operation == RestOperationTypeEnum.CREATE || operation == RestOperationTypeEnum.UPDATE) {
            String contentType = request.getHeader("Content-Type");
            String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
            if (!(ct.startsWith("application/fhir+json") || ct.startsWith("application/json")
                    || ct.startsWith("application/fhir+xml") || ct.startsWith("application/xml")
                    || ct.startsWith("application/json+fhir") || ct.startsWith("application/xml+fhir"))) {
                throw new InvalidRequestException("a Subscription is written as application/fhir+json or application/fhir+xml");
            }
        }
        if (!security) {
            return;
        }
        requireScope(operation);
        if (operation == RestOperationTypeEnum.SEARCH_TYPE) {
            // totals and pages count only the client's own Subscriptions
            Map<String, String[]> parameters = new HashMap<>(request.getParameters());
            String[] existing = parameters.getOrDefault("_tag", new String[0]);
            String[] narrowed = java.util.Arrays.copyOf(existing, existing.length + 1);
            narrowed[existing.length] = RestHookSubscription.OWNER_SYSTEM + "|" + owner().replace(",", "\\,");
            parameters.put("_tag", narrowed);
            request.setParameters(parameters);
        }
    }

    // the storage hooks check the scope again: a batch or transaction entry does not pass the check above

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void creating(IBaseResource resource, RequestDetails request) {
        if (TYPE.equals(resource.fhirType()) && request instanceof ServletRequestDetails) {
            requireScope(RestOperationTypeEnum.CREATE);
            accept((Subscription) resource);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updating(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        if (TYPE.equals(resource.fhirType()) && request instanceof ServletRequestDetails) {
            requireScope(RestOperationTypeEnum.UPDATE);
            ownOrMissing(previous);
            accept((Subscription) resource);
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleting(IBaseResource resource, RequestDetails request) {
        if (TYPE.equals(resource.fhirType()) && request instanceof ServletRequestDetails) {
            requireScope(RestOperationTypeEnum.DELETE);
            ownOrMissing(resource);
        }
    }

    /** With security on, another client's Subscriptions are left out of every response. */
    @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
    public void onlyOwn(IPreResourceAccessDetails details, RequestDetails request) {
        if (!security || !(request instanceof ServletRequestDetails)) {
            return;
        }
        String owner = null;
        for (int i = 0; i < details.size(); i++) {
            IBaseResource r = details.getResource(i);
            if (r != null && TYPE.equals(r.fhirType())) {
                owner = owner == null ? owner() : owner;
                if (!owner.equals(RestHookSubscription.ownerOf(r))) {
                    details.setDontReturnResourceAtIndex(i);
                }
            }
        }
    }

    /** With security on, create, update and delete each need their scope (c, u, d). */
    private void requireScope(RestOperationTypeEnum operation) {
        if (!security) {
            return;
        }
        SmartScopes scopes = scopes();
        boolean allowed = switch (operation) {
            case CREATE -> scopes.mayCreate(TYPE);
            case UPDATE -> scopes.mayUpdate(TYPE);
            case DELETE -> scopes.mayDelete(TYPE);
            default -> true;
        };
        if (!allowed) {
            throw new ForbiddenOperationException("not within the token's scopes (system/Subscription."
                    + (operation == RestOperationTypeEnum.CREATE ? "c" : operation == RestOperationTypeEnum.UPDATE ? "u" : "d") + ")");
        }
    }

    private void ownOrMissing(IBaseResource stored) {
        if (security && stored != null && !owner().equals(RestHookSubscription.ownerOf(stored))) {
            throw new ResourceNotFoundException(stored.getIdElement().toUnqualifiedVersionless());
        }
    }

    private void accept(Subscription s) {
        String refusal = rules.refusal(s);
        if (refusal != null) {
            throw new UnprocessableEntityException("Subscription refused: " + refusal);
        }
        if (s.getStatus() != Subscription.SubscriptionStatus.OFF) {
            s.setStatus(Subscription.SubscriptionStatus.ACTIVE);
        }
        s.setError(null);
        RestHookSubscription.setOwner(s, security ? owner() : RestHookSubscription.LOCAL_OWNER);
    }

    private String owner() {
        String client = TokenClients.clientId(SecurityContextHolder.getContext().getAuthentication());
        if (client == null) {
            throw new ForbiddenOperationException("no client");
        }
        return client;
    }

    private static SmartScopes scopes() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        List<String> scopes = new ArrayList<>();
        if (auth != null && auth.isAuthenticated()) {
            for (GrantedAuthority a : auth.getAuthorities()) {
                if (a.getAuthority().startsWith("SCOPE_")) {
                    scopes.add(a.getAuthority().substring("SCOPE_".length()));
                }
            }
        }
        return SmartScopes.of(scopes);
    }
}
