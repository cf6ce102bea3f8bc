package org.celltrial.adapter.ingest;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Polls the inbox and hands each ready delivery (claimed into the work area) to the ingest route. */
@Component
public class InboxPollingRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("scheduler:sdtm-inbox?delay={{celltrial.ingest.poll-interval-ms:2000}}&initialDelay=200")
                .routeId("sdtm-inbox-poll")
                .autoStartup("{{celltrial.ingest.enabled:true}}")
                .bean(Inbox.class, "claimReady")
                .split(body())
                    .to("direct:sdtm-delivery");
    }
}
