package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers the queued notifications ({@link NotificationOutbox}) on one background thread: every poll interval, and at
 * once after a commit that queued some. Per Subscription, in the order queued: the resource version is read, dropped
 * unless it belongs to a study the Subscription's owner is granted and matches the criteria, else sent. A failed
 * delivery is tried again after a growing wait (that Subscription's later notifications wait behind it, so they
 * arrive in order); after {@code error-after-failures} failures the Subscription's status becomes {@code error} with
 * the reason in {@code Subscription.error}, and the first success sets it back to {@code active} (R4). After
 * {@code max-attempts} the notification is dropped and logged. Logs name Subscriptions and counts, never resources.
 */
public class SubscriptionDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionDispatcher.class);
    private static final int BATCH = 500;
    private static final long RELOAD_EVERY_MS = 30_000;

    private final SubscriptionRegistry registry;
    private final NotificationOutbox outbox;
    private final NotificationMatcher matcher;
    private final RestHookSender sender;
    private final EndpointCheck endpoints;
    private final DaoRegistry daos;
    private final SubscriptionProperties props;
    /** Studies granted per client id ({@code *}: all); null when security is off (every study). */
    private final Map<String, Set<String>> grants;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;
    private volatile long lastReload;

    public SubscriptionDispatcher(SubscriptionRegistry registry, NotificationOutbox outbox, NotificationMatcher matcher,
                                  RestHookSender sender, EndpointCheck endpoints, DaoRegistry daos,
                                  SubscriptionProperties props, Map<String, Set<String>> grants) {
        this.registry = registry;
        this.outbox = outbox;
        this.matcher = matcher;
        this.sender = sender;
        this.endpoints = endpoints;
        this.daos = daos;
        this.props = props;
        this.grants = grants;
    }

    /** Runs a dispatch pass soon (after a commit that queued notifications); cheap to call often. */
    public void wake() {
        ScheduledExecutorService e = executor;
        if (e != null && wakePending.compareAndSet(false, true)) {
            try {
                e.execute(this::runOnce);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                wakePending.set(false);
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService e = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "subscription-dispatcher");
            t.setDaemon(true);
            return t;
        });
        executor = e;
        e.scheduleWithFixedDelay(this::runOnce, 0, props.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /** After HAPI and the web server are up; stopped before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1000;
    }

    private void runOnce() {
        wakePending.set(false);
        try {
            if (System.currentTimeMillis() - lastReload > RELOAD_EVERY_MS) {
                registry.reload();
                lastReload = System.currentTimeMillis();
            }
            dispatch(Instant.now());
        } catch (RuntimeException e) {
            // e.g. the database is down: the rows stay queued for the next pass
            log.warn("Subscription notifications not dispatched this pass: {}", e.getClass().getSimpleName());
        }
    }

    /** One pass over the queue; package-visible for tests. */
    void dispatch(Instant now) {
        List<NotificationOutbox.Pending> pending = outbox.oldest(BATCH);
        Map<String, List<NotificationOutbox.Pending>> bySubscription = new LinkedHashMap<>();
        for (NotificationOutbox.Pending p : pending) {
            bySubscription.computeIfAbsent(p.subscriptionId(), k -> new java.util.ArrayList<>()).add(p);
        }
        Set<String> dropped = new HashSet<>();
        for (var entry : bySubscription.entrySet()) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            RestHookSubscription s = registry.get(entry.getKey());
            if (s == null) {
                // deleted, or switched off: what was queued for it goes
                if (dropped.add(entry.getKey())) {
                    int n = outbox.dropFor(entry.getKey());
                    log.info("Subscription/{}: not live any more, {} queued notifications dropped", entry.getKey(), n);
                }
                continue;
            }
            for (NotificationOutbox.Pending p : entry.getValue()) {
                s = registry.get(entry.getKey()); // its status may have changed with the previous row
                if (s == null || p.nextAttemptAt().isAfter(now) || !deliver(s, p, now)) {
                    break; // in order: the later ones wait behind a failing one
                }
            }
        }
    }

    /** True when the row is finished with (delivered or not to be delivered), false when it waits for a retry. */
    private boolean deliver(RestHookSubscription s, NotificationOutbox.Pending p, Instant now) {
        IBaseResource resource = read(p);
        if (resource == null || !visibleToOwner(s, resource) || !matcher.matches(s.criteria(), resource)) {
            outbox.done(p.id());
            return true;
        }
        String refused = endpoints.refusal(s.endpoint());
        RestHookSender.Outcome outcome = refused != null ? new RestHookSender.Outcome(false, "endpoint refused: " + refused)
                : sender.send(s, resource);
        if (outcome.delivered()) {
            outbox.done(p.id());
            if (s.status() == Subscription.SubscriptionStatus.ERROR) {
                setStatus(s.id(), Subscription.SubscriptionStatus.ACTIVE, null);
                log.info("Subscription/{}: delivering again, status active", s.id());
            }
            return true;
        }
        int attempts = p.attempts() + 1;
        if (attempts >= props.maxAttempts()) {
            outbox.done(p.id());
            log.warn("Subscription/{}: a notification was dropped after {} failed attempts ({})", s.id(), attempts,
                    outcome.failure());
        } else {
            outbox.retryLater(p.id(), attempts, now.plus(props.backoffAfter(attempts)), outcome.failure());
        }
        if (attempts >= props.errorAfterFailures() && s.status() != Subscription.SubscriptionStatus.ERROR) {
            setStatus(s.id(), Subscription.SubscriptionStatus.ERROR, "rest-hook delivery failed " + attempts
                    + " times in a row (last: " + outcome.failure() + "); retrying");
            log.warn("Subscription/{}: status error after {} failed deliveries ({})", s.id(), attempts, outcome.failure());
        }
        return attempts >= props.maxAttempts();
    }

    private IBaseResource read(NotificationOutbox.Pending p) {
        if (!daos.isResourceTypeSupported(p.resourceType())) {
            return null;
        }
        IdType id = p.version() == null ? new IdType(p.resourceType(), p.resourceId())
                : new IdType(p.resourceType(), p.resourceId(), String.valueOf(p.version()));
        try {
            return daos.getResourceDao(p.resourceType()).read(id, new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return null;
        }
    }

    /** Per-study access: only resources of the studies the owning client is granted. */
    private boolean visibleToOwner(RestHookSubscription s, IBaseResource resource) {
        if (grants == null) {
            return true;
        }
        Set<String> granted = s.owner() == null ? Set.of() : grants.getOrDefault(s.owner(), Set.of());
        String study = StudyTag.of(resource);
        return granted.contains("*") || study != null && granted.contains(study);
    }

    private void setStatus(String id, Subscription.SubscriptionStatus status, String error) {
        var dao = daos.getResourceDao(Subscription.class);
        try {
            Subscription current = dao.read(new IdType("Subscription", id), new SystemRequestDetails());
            current.setStatus(status);
            current.setError(error);
            current.setIdElement(current.getIdElement().toUnqualifiedVersionless());
            dao.update(current, new SystemRequestDetails());
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return;
        }
        registry.reload();
    }
}
