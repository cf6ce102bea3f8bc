package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.matcher.InMemoryMatchResult;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Whether a written resource matches a Subscription's criteria: HAPI's in-memory matcher ({@link SearchParamMatcher},
 * what HAPI's own subscription matching uses) when it can evaluate the criteria, else the criteria run as a database
 * search restricted to the resource ({@code &_id=}), which answers chains such as {@code patient.identifier} exactly
 * as a client's search would.
 * HAPI-COUPLING: InMemoryMatchResult.supported() is false for what the in-memory matcher cannot evaluate (chains,
 * _has, some modifiers), as HAPI's SubscriptionStrategyEvaluator relies on.
 */
public class NotificationMatcher {

    private final FhirContext ctx;
    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final SearchParamMatcher inMemory;

    public NotificationMatcher(FhirContext ctx, DaoRegistry daos, MatchUrlService matchUrls, SearchParamMatcher inMemory) {
        this.ctx = ctx;
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.inMemory = inMemory;
    }

    public boolean matches(String criteria, IBaseResource resource) {
        InMemoryMatchResult result;
        try {
            result = inMemory.match(criteria, resource, new SystemRequestDetails());
        } catch (RuntimeException e) {
            result = InMemoryMatchResult.unsupportedFromReason(e.getClass().getSimpleName());
        }
        if (result.supported()) {
            return result.matched();
        }
        return matchesInDatabase(criteria, resource);
    }

    boolean matchesInDatabase(String criteria, IBaseResource resource) {
        String type = resource.fhirType();
        SearchParameterMap map = matchUrls.translateMatchUrl(criteria, ctx.getResourceDefinition(type));
        map.add("_id", new TokenParam(resource.getIdElement().getIdPart()));
        map.setLoadSynchronous(true);
        return !daos.getResourceDao(type).searchForIds(map, new SystemRequestDetails()).isEmpty();
    }
}
