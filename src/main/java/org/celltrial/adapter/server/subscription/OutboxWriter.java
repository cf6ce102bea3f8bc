package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Queues a notification for every live Subscription whose criteria name the type of a resource just created or
 * updated, in the writing transaction. Registered with HAPI's JPA interceptor service, so it sees every write through
 * HAPI's DAOs: REST writes and the ingest's in-process writes alike (SubjectWriter calls the resource DAO's update,
 * which broadcasts these pointcuts; the ingest skips only HAPI's bundle machinery).
 * HAPI-COUPLING: STORAGE_PRECOMMIT_RESOURCE_CREATED/UPDATED are invoked inside the DAO's database transaction with the
 * new version's id already set.
 * Whether the resource matches is decided later by the dispatcher, after the commit: the chained criteria EHRs use
 * ({@code patient.identifier}) need a database search, which should see the committed data and not slow the ingest.
 * Deletions notify nobody (R4 rest-hook has no deletion notice; the adapter retires rows, it does not delete patients).
 */
@Interceptor
public class OutboxWriter {

    private final SubscriptionRegistry registry;
    private final NotificationOutbox outbox;
    private final Runnable wakeDispatcher;

    public OutboxWriter(SubscriptionRegistry registry, NotificationOutbox outbox, Runnable wakeDispatcher) {
        this.registry = registry;
        this.outbox = outbox;
        this.wakeDispatcher = wakeDispatcher;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        written(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        written(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if ("Subscription".equals(resource.fhirType())) {
            afterCommit(registry::reload);
        }
    }

    private void written(IBaseResource resource) {
        String type = resource.fhirType();
        if ("Subscription".equals(type)) {
            afterCommit(registry::reload);
            return;
        }
        if (!registry.anyFor(type)) {
            return;
        }
        String id = resource.getIdElement().getIdPart();
        Long version = resource.getIdElement().hasVersionIdPart() && resource.getIdElement().isVersionIdPartValidLong()
                ? resource.getIdElement().getVersionIdPartAsLong() : null;
        for (RestHookSubscription s : registry.forType(type)) {
            outbox.add(s.id(), type, id, version);
        }
        afterCommit(wakeDispatcher);
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
