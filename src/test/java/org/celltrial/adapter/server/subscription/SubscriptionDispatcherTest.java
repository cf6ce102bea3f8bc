package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The dispatcher over a real outbox table (H2 in memory), with the FHIR store, matcher and HTTP replaced. */
class SubscriptionDispatcherTest {

    private NotificationOutbox outbox;
    private final Map<String, RestHookSubscription> live = new HashMap<>();
    private final List<String> sent = new ArrayList<>();
    private final List<Subscription.SubscriptionStatus> statusWrites = new ArrayList<>();
    private final List<String> errorTexts = new ArrayList<>();
    private Predicate<IBaseResource> matching = r -> true;
    private boolean endpointUp = true;
    /** Just after the rows are queued (they are due from the time they are added). */
    private final Instant t0 = Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    private final SubscriptionProperties props = new SubscriptionProperties(true, true, null, Duration.ofSeconds(1),
            Duration.ofSeconds(4), 5, 2, null, null);

    @BeforeEach
    void setUp() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:outbox" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        outbox = new NotificationOutbox(new JdbcTemplate(ds));
        outbox.createSchema();
    }

    @SuppressWarnings("unchecked")
    private SubscriptionDispatcher dispatcher(Map<String, Set<String>> grants) {
        DaoRegistry daos = mock(DaoRegistry.class);
        IFhirResourceDao<Procedure> procedures = mock(IFhirResourceDao.class);
        IFhirResourceDao<Subscription> subscriptions = mock(IFhirResourceDao.class);
        when(daos.isResourceTypeSupported("Procedure")).thenReturn(true);
        when(daos.getResourceDao("Procedure")).thenAnswer(i -> procedures);
        when(daos.getResourceDao(Subscription.class)).thenReturn(subscriptions);
        when(procedures.read(any(IIdType.class), any(RequestDetails.class))).thenAnswer(i -> {
            IIdType id = i.getArgument(0);
            Procedure p = new Procedure();
            p.setId(id.getValue());
            StudyTag.set(p, id.getIdPart().startsWith("NB") ? "NKNB-P12" : "NKAML-P1");
            return p;
        });
        when(subscriptions.read(any(IIdType.class), any(RequestDetails.class))).thenAnswer(i -> {
            Subscription s = new Subscription();
            s.setId("Subscription/" + ((IIdType) i.getArgument(0)).getIdPart() + "/_history/1");
            return s;
        });
        when(subscriptions.update(any(Subscription.class), any(RequestDetails.class))).thenAnswer(i -> {
            Subscription s = i.getArgument(0);
            statusWrites.add(s.getStatus());
            errorTexts.add(s.getError());
            RestHookSubscription old = live.get(s.getIdElement().getIdPart());
            live.put(old.id(), new RestHookSubscription(old.id(), old.criteria(), old.resourceType(), old.endpoint(),
                    old.payload(), old.headers(), old.owner(), s.getStatus()));
            return null;
        });
        SubscriptionRegistry registry = new SubscriptionRegistry(daos) {
            @Override
            public synchronized void reload() {
            }

            @Override
            public RestHookSubscription get(String id) {
                return live.get(id);
            }
        };
        NotificationMatcher matcher = new NotificationMatcher(null, daos, null, null) {
            @Override
            public boolean matches(String criteria, IBaseResource resource) {
                return matching.test(resource);
            }
        };
        RestHookSender sender = new RestHookSender(null, Duration.ofSeconds(1), Duration.ofSeconds(1)) {
            @Override
            public Outcome send(RestHookSubscription s, IBaseResource resource) {
                sent.add(s.id() + ":" + resource.getIdElement().getIdPart());
                return endpointUp ? new Outcome(true, null) : new Outcome(false, "HTTP 503");
            }
        };
        return new SubscriptionDispatcher(registry, outbox, matcher, sender, new EndpointCheck(true), daos, props, grants);
    }

    private void subscribe(String id, String owner) {
        live.put(id, new RestHookSubscription(id, "Procedure?patient.identifier=x|1", "Procedure", "http://127.0.0.1:1/x",
                "application/fhir+json", List.of(), owner, Subscription.SubscriptionStatus.ACTIVE));
    }

    @Test
    void deliveredInOrderAndDequeued() {
        subscribe("s1", "local");
        outbox.add("s1", "Procedure", "P-1", 1L);
        outbox.add("s1", "Procedure", "P-2", 1L);
        dispatcher(null).dispatch(t0);
        assertThat(sent).containsExactly("s1:P-1", "s1:P-2");
        assertThat(outbox.count()).isZero();
    }

    @Test
    void notMatchingIsDequeuedWithoutSending() {
        subscribe("s1", "local");
        matching = r -> r.getIdElement().getIdPart().equals("P-2");
        outbox.add("s1", "Procedure", "P-1", 1L);
        outbox.add("s1", "Procedure", "P-2", 1L);
        dispatcher(null).dispatch(t0);
        assertThat(sent).containsExactly("s1:P-2");
        assertThat(outbox.count()).isZero();
    }

    @Test
    void aFailingEndpointIsRetriedWithBackoffThenErrorThenActiveAgain() {
        subscribe("s1", "local");
        SubscriptionDispatcher d = dispatcher(null);
        endpointUp = false;
        outbox.add("s1", "Procedure", "P-1", 1L);
        outbox.add("s1", "Procedure", "P-2", 1L);
        d.dispatch(t0);
        assertThat(sent).containsExactly("s1:P-1"); // P-2 waits behind it
        assertThat(outbox.count()).isEqualTo(2);
        d.dispatch(t0.plusMillis(500));               // not due yet (1 s)
        assertThat(sent).hasSize(1);
        d.dispatch(t0.plusSeconds(1));                // second failure: status error
        assertThat(sent).hasSize(2);
        assertThat(statusWrites).containsExactly(Subscription.SubscriptionStatus.ERROR);
        assertThat(errorTexts.get(0)).contains("HTTP 503");
        assertThat(outbox.oldest(1).get(0).nextAttemptAt()).isEqualTo(t0.plusSeconds(3)); // then 2 s
        endpointUp = true;
        d.dispatch(t0.plusSeconds(3));
        assertThat(sent).containsExactly("s1:P-1", "s1:P-1", "s1:P-1", "s1:P-2");
        assertThat(statusWrites).containsExactly(Subscription.SubscriptionStatus.ERROR, Subscription.SubscriptionStatus.ACTIVE);
        assertThat(outbox.count()).isZero();
    }

    @Test
    void givenUpAfterMaxAttempts() {
        subscribe("s1", "local");
        SubscriptionDispatcher d = dispatcher(null);
        endpointUp = false;
        outbox.add("s1", "Procedure", "P-1", 1L);
        Instant t = t0;
        for (int i = 0; i < props.maxAttempts(); i++) {
            d.dispatch(t);
            t = t.plusSeconds(10);
        }
        assertThat(sent).hasSize(props.maxAttempts());
        assertThat(outbox.count()).isZero();
        assertThat(live.get("s1").status()).isEqualTo(Subscription.SubscriptionStatus.ERROR);
    }

    @Test
    void onlyTheOwnersGrantedStudiesAreNotified() {
        subscribe("s1", "ehr-aml");
        subscribe("s2", "nobody-registered");
        outbox.add("s1", "Procedure", "NB-1", 1L);
        outbox.add("s1", "Procedure", "P-1", 1L);
        outbox.add("s2", "Procedure", "P-2", 1L);
        dispatcher(Map.of("ehr-aml", Set.of("NKAML-P1"))).dispatch(t0);
        assertThat(sent).containsExactly("s1:P-1");
        assertThat(outbox.count()).isZero();
    }

    @Test
    void whatWasQueuedForADeletedSubscriptionIsDropped() {
        outbox.add("gone", "Procedure", "P-1", 1L);
        dispatcher(null).dispatch(t0);
        assertThat(sent).isEmpty();
        assertThat(outbox.count()).isZero();
    }
}
