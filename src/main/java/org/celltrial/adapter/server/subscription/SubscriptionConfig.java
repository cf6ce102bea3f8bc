package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.celltrial.adapter.server.CapabilityStatementCustomizer;
import org.celltrial.adapter.server.security.SecurityProperties;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * R4 rest-hook Subscriptions (README "Subscriptions (rest-hook)"), on unless {@code celltrial.subscriptions.enabled=false}.
 * HAPI's own subscription pipeline is not used: its channels are in memory (a notification matched but not yet
 * delivered is lost at a stop) and it does not keep an R4 status of error/active per endpoint; here a durable outbox
 * table, written in the resource's transaction, and one dispatcher thread with HAPI's matcher.
 */
@Configuration
@ConditionalOnProperty(prefix = "celltrial.subscriptions", name = "enabled", havingValue = "true", matchIfMissing = true)
public class SubscriptionConfig {

    @Bean
    public NotificationOutbox notificationOutbox(JdbcTemplate jdbc) {
        NotificationOutbox outbox = new NotificationOutbox(jdbc);
        outbox.createSchema();
        return outbox;
    }

    @Bean
    public SubscriptionRegistry subscriptionRegistry(DaoRegistry daos) {
        return new SubscriptionRegistry(daos);
    }

    @Bean
    public EndpointCheck subscriptionEndpointCheck(SubscriptionProperties props) {
        return new EndpointCheck(props.allowLocalEndpoints());
    }

    @Bean
    public SubscriptionDispatcher subscriptionDispatcher(SubscriptionRegistry registry, NotificationOutbox outbox,
                                                         FhirContext ctx, DaoRegistry daos, MatchUrlService matchUrls,
                                                         SearchParamMatcher matcher, EndpointCheck endpoints,
                                                         SubscriptionProperties props, SecurityProperties security) {
        Map<String, Set<String>> grants = null;
        if (security.enabled()) {
            grants = new HashMap<>();
            for (SecurityProperties.Client c : security.clients()) {
                grants.put(c.clientId(), Set.copyOf(c.studies()));
            }
        }
        return new SubscriptionDispatcher(registry, outbox, new NotificationMatcher(ctx, daos, matchUrls, matcher),
                new RestHookSender(ctx, props.connectTimeout(), props.requestTimeout()), endpoints, daos, props, grants);
    }

    /** The outbox writer on HAPI's storage pointcuts, the request checks on the REST server. */
    @Bean
    public SmartInitializingSingleton subscriptionInterceptors(IInterceptorService storage, RestfulServer server,
                                                               SubscriptionRegistry registry, NotificationOutbox outbox,
                                                               SubscriptionDispatcher dispatcher, FhirContext ctx,
                                                               DaoRegistry daos, MatchUrlService matchUrls,
                                                               EndpointCheck endpoints, SecurityProperties security) {
        return () -> {
            try {
                registry.reload(); // before the ingest starts writing; else the dispatcher's first pass does
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SubscriptionConfig.class)
                        .warn("Subscriptions not read at start ({}); the dispatcher reads them", e.getClass().getSimpleName());
            }
            storage.registerInterceptor(new OutboxWriter(registry, outbox, dispatcher::wake));
            server.registerInterceptor(new SubscriptionRequests(new SubscriptionRules(ctx, daos, matchUrls, endpoints),
                    security.enabled()));
        };
    }

    @Bean
    public CapabilityStatementCustomizer subscriptionCapability() {
        return new SubscriptionCapability();
    }
}
