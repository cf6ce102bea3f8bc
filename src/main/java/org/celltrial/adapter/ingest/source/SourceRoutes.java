package org.celltrial.adapter.ingest.source;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One Camel route per enabled source: a timer that pulls it every {@code schedule} (the next pull is timed from the
 * end of the last, so pulls of one source never overlap), first {@code initial-delay} after start. Errors are recorded
 * by the runner (shown on {@code /api/sources}) and never stop the route.
 */
@Component
public class SourceRoutes extends RouteBuilder {

    private final SourceRunner runner;

    public SourceRoutes(SourceRunner runner) {
        this.runner = runner;
    }

    @Override
    public void configure() {
        for (Source s : runner.sources().values()) {
            SourceDefinition d = s.definition();
            if (!d.enabled()) {
                continue;
            }
            from("timer:source-" + d.id() + "?fixedRate=false&delay=" + d.initialDelay().toMillis()
                    + "&period=" + d.schedule().toMillis())
                    .routeId("source-" + d.id())
                    .process(e -> runner.run(d.id()));
        }
    }
}
