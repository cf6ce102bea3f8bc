package org.celltrial.adapter.ingest;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Polls the inbox and hands each ready delivery to the ingest route, which claims it (into the work area) just before
 * processing it. The poll itself never throws ({@link InboxPoller}); each delivery's failures end in its own report.
 */
@Component
public class InboxPollingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "sdtm-inbox-poll";

    @Override
    public void configure() {
        from("scheduler:sdtm-inbox?delay={{celltrial.ingest.poll-interval-ms:2000}}&initialDelay=200")
                .routeId(ROUTE_ID)
                .autoStartup("{{celltrial.ingest.enabled:true}}")
                .bean(InboxPoller.class, "poll")
                .split(body())
                    .to("direct:sdtm-delivery")
                .end()
                .bean(DeliveryGuard.class, "pollFinished");
    }
}
