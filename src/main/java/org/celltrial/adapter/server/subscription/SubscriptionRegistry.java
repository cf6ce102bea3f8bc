package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rest-hook Subscriptions that get notifications (status active or error), read from the FHIR store at start and
 * again after each commit that wrote a Subscription (and by the dispatcher now and then, in case a write was missed).
 */
public class SubscriptionRegistry {

    private final DaoRegistry daos;
    private volatile Map<String, RestHookSubscription> live = Map.of();

    public SubscriptionRegistry(DaoRegistry daos) {
        this.daos = daos;
    }

    public synchronized void reload() {
        IFhirResourceDao<Subscription> dao = daos.getResourceDao(Subscription.class);
        SearchParameterMap map = SearchParameterMap.newSynchronous();
        // all of them, not the first page-size cap's worth (a synchronous search beyond it cannot list all: HAPI-0464)
        map.setLoadSynchronousUpTo(100_000);
        map.setCount(100_000); // HAPI sizes a synchronous result by the count, else by the page-size cap
        map.add(Subscription.SP_STATUS, new TokenOrListParam().add("active").add("error"));
        Map<String, RestHookSubscription> found = new ConcurrentHashMap<>();
        List<IBaseResource> all = dao.search(map, new SystemRequestDetails()).getAllResources();
        for (IBaseResource r : all) {
            Subscription s = (Subscription) r;
            if (s.getChannel().getType() == Subscription.SubscriptionChannelType.RESTHOOK && s.getCriteria() != null) {
                RestHookSubscription parsed = RestHookSubscription.of(s);
                found.put(parsed.id(), parsed);
            }
        }
        live = Map.copyOf(found);
    }

    /** The live Subscriptions whose criteria are about {@code resourceType}. */
    public List<RestHookSubscription> forType(String resourceType) {
        return live.values().stream().filter(s -> resourceType.equals(s.resourceType())).toList();
    }

    public RestHookSubscription get(String id) {
        return live.get(id);
    }

    public boolean anyFor(String resourceType) {
        for (RestHookSubscription s : live.values()) {
            if (resourceType.equals(s.resourceType())) {
                return true;
            }
        }
        return false;
    }
}
