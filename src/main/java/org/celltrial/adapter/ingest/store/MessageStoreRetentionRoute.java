package org.celltrial.adapter.ingest.store;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;

/** Hourly: forgets deliveries (and their record statuses) older than celltrial.store.retention-days. */
@Component
public class MessageStoreRetentionRoute extends RouteBuilder {

    private final MessageStore store;
    private final int retentionDays;

    public MessageStoreRetentionRoute(MessageStore store, @Value("${celltrial.store.retention-days:90}") int retentionDays) {
        this.store = store;
        this.retentionDays = retentionDays;
    }

    @Override
    public void configure() {
        from("timer:message-store-retention?period=3600000&delay=60000")
                .routeId("message-store-retention")
                .process(e -> e.getIn().setBody(store.purgeFinishedBefore(Instant.now().minus(Duration.ofDays(retentionDays)))))
                .log("Message store retention: ${body} deliveries older than " + retentionDays + " days forgotten");
    }
}
