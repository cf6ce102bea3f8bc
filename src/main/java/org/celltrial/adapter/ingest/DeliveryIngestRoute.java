package org.celltrial.adapter.ingest;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import java.nio.file.Path;

/**
 * Ingests one claimed delivery: read, map, store, then move it to done or error with its report.
 * When the database is unreachable the whole delivery is retried with back-off (re-running it is
 * harmless: ids are deterministic); when retries run out it goes to error, kept for re-delivery.
 */
@Component
public class DeliveryIngestRoute extends RouteBuilder {

    private final IngestProperties props;
    private final DeliveryReader reader;
    private final DeliveryIngestor ingestor;
    private final Inbox inbox;

    public DeliveryIngestRoute(IngestProperties props, DeliveryReader reader, DeliveryIngestor ingestor, Inbox inbox) {
        this.props = props;
        this.reader = reader;
        this.ingestor = ingestor;
        this.inbox = inbox;
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
                .handled(true)
                .process(this::fail);

        onException(Exception.class)
                .handled(true)
                .logStackTrace(false)
                .process(this::fail);

        from("direct:sdtm-delivery")
                .routeId("sdtm-delivery")
                .process(exchange -> {
                    Path path = exchange.getIn().getBody(Path.class);
                    exchange.setProperty("deliveryPath", path);
                    IngestReport report = ingestor.ingest(reader.read(path));
                    Path moved = inbox.finish(path, report);
                    exchange.getIn().setBody(report);
                    exchange.getIn().setHeader("celltrialDeliveryResult", moved.toString());
                })
                .log(LoggingLevel.INFO, "Delivery processed: ${header.celltrialDeliveryResult}");
    }

    private void fail(Exchange exchange) throws Exception {
        Path path = exchange.getProperty("deliveryPath", Path.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        log.error("Delivery {} failed: {}", path == null ? "?" : path.getFileName(), cause == null ? "" : cause.getClass().getSimpleName());
        if (path != null && java.nio.file.Files.exists(path)) {
            inbox.fail(path, reason);
        }
    }
}
