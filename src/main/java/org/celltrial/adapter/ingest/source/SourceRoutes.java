package org.celltrial.adapter.ingest.source;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.springframework.stereotype.Component;

import java.util.TimeZone;

/**
 * One Camel route per enabled source, pulling it either
 * <ul>
 *   <li>every {@code schedule}: a timer, the next pull timed from the end of the last, first {@code initial-delay}
 *       after start; or</li>
 *   <li>on its {@code cron} schedule: Camel's {@code scheduler} component with the Spring cron scheduler of
 *       camel-spring (already there through camel-spring-boot; no Quartz job store), in {@code cron-zone}. A pull still
 *       running when the next time comes delays that one (Spring computes the next time after the pull ends), so pulls
 *       of one source never overlap either way.</li>
 * </ul>
 * Errors are recorded by the runner (shown on {@code /api/sources}) and never stop the route.
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
            String from;
            if (d.cron() != null) {
                // the scheduler as an object, not URI options: a cron expression's spaces and '?' need no escaping,
                // and the zone is set as a TimeZone rather than left to a type conversion
                SpringScheduledPollConsumerScheduler cron = new SpringScheduledPollConsumerScheduler();
                cron.setCron(d.cron());
                cron.setTimeZone(TimeZone.getTimeZone(d.zone()));
                String bean = "source-cron-" + d.id();
                getContext().getRegistry().bind(bean, cron);
                from = "scheduler:source-" + d.id() + "?scheduler=#" + bean;
            } else {
                from = "timer:source-" + d.id() + "?fixedRate=false&delay=" + d.initialDelay().toMillis()
                        + "&period=" + d.schedule().toMillis();
            }
            from(from)
                    .routeId("source-" + d.id())
                    .process(e -> runner.run(d.id()));
        }
    }
}
