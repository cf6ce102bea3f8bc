package org.celltrial.adapter.ingest;

import org.celltrial.adapter.ingest.pipeline.Abandonment;
import org.celltrial.adapter.ingest.pipeline.Delivery;
import org.celltrial.adapter.ingest.pipeline.DeliveryPipeline;
import org.celltrial.adapter.ingest.pipeline.IngestReport;
import org.celltrial.adapter.ingest.pipeline.LogSafe;
import org.celltrial.adapter.ingest.pipeline.StorageUnavailableException;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Ingests one delivery: claim it, read, map, store, then move it to done or error with its report.
 * When the database is unreachable the whole delivery is retried with back-off (re-running it is
 * harmless: ids are deterministic); when retries run out it goes to error, kept for re-delivery.
 * Each attempt runs within the delivery's time budget ({@link DeliveryGuard}); a delivery that outlasts it is
 * quarantined in error/. A stop of the application leaves the delivery in the work area, for the next start.
 */
@Component
public class DeliveryIngestRoute extends RouteBuilder {

    private static final String PATH = "deliveryPath";
    private static final String DEADLINE = "deliveryDeadline";

    private final IngestProperties props;
    private final IngestSafetyProperties safety;
    private final DeliveryReader reader;
    private final DeliveryPipeline ingestor;
    private final Inbox inbox;
    private final DeliveryGuard guard;

    public DeliveryIngestRoute(IngestProperties props, IngestSafetyProperties safety, DeliveryReader reader,
                               DeliveryPipeline ingestor, Inbox inbox, DeliveryGuard guard) {
        this.props = props;
        this.safety = safety;
        this.reader = reader;
        this.ingestor = ingestor;
        this.inbox = inbox;
        this.guard = guard;
    }

    @Override
    public void configure() {
        onException(StorageUnavailableException.class)
                .maximumRedeliveries(props.storeRetries())
                .redeliveryDelay(1000)
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(30_000)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .logExhaustedMessageBody(false)
                .handled(true)
                .process(this::fail);

        onException(Abandonment.DeliveryAbandonedException.class)
                .handled(true)
                .logStackTrace(false)
                .process(this::quarantine);

        onException(DeliveryGuard.IngestStoppedException.class)
                .handled(true)
                .logStackTrace(false)
                .process(this::leaveForNextStart);

        onException(Exception.class)
                .handled(true)
                .logStackTrace(false)
                .process(this::fail);

        from("direct:sdtm-delivery")
                .routeId("sdtm-delivery")
                .process(exchange -> {
                    if (guard.abandonedStillRunning()) {
                        return; // it stays in the inbox: its budget must not tick while it waits behind the abandoned one
                    }
                    Path claimed = inbox.claim(exchange.getIn().getBody(Path.class));
                    if (claimed != null) {
                        exchange.setProperty(PATH, claimed);
                        exchange.setProperty(DEADLINE, System.nanoTime() + safety.timeBudget().toNanos());
                    }
                })
                .filter(exchangeProperty(PATH).isNotNull())
                    .process(exchange -> {
                        Path path = exchange.getProperty(PATH, Path.class);
                        long deadline = exchange.getProperty(DEADLINE, Long.class);
                        String name = LogSafe.escape(path.getFileName().toString());
                        IngestReport report = guard.run(name, deadline, safety.timeBudget(), () -> {
                            try (Delivery delivery = reader.read(path)) {
                                return ingestor.ingest(delivery);
                            }
                        });
                        Path moved = inbox.finish(path, report);
                        exchange.getIn().setBody(report);
                        exchange.getIn().setHeader("celltrialDeliveryResult", LogSafe.escape(moved.toString()));
                    })
                    .log(LoggingLevel.INFO, "Delivery processed: ${header.celltrialDeliveryResult}")
                .end();
    }

    private void fail(Exchange exchange) throws Exception {
        Path path = exchange.getProperty(PATH, Path.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        log.error("Delivery {} failed: {}", path == null ? "?" : LogSafe.escape(path.getFileName().toString()),
                cause == null ? "" : cause.getClass().getSimpleName());
        if (path != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            inbox.fail(path, reason);
        }
    }

    private void quarantine(Exchange exchange) throws Exception {
        Path path = exchange.getProperty(PATH, Path.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("Delivery {} quarantined in error/: {}", path == null ? "?" : LogSafe.escape(path.getFileName().toString()),
                cause == null ? "" : cause.getMessage());
        if (path != null && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            inbox.quarantine(path, cause == null ? "abandoned" : cause.getMessage());
        }
    }

    private void leaveForNextStart(Exchange exchange) {
        Path path = exchange.getProperty(PATH, Path.class);
        if (path != null) {
            inbox.uncountAttempt(path);
            log.info("Delivery {} stays in the work area and is processed again at the next start",
                    LogSafe.escape(path.getFileName().toString()));
        }
    }
}
