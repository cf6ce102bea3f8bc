package org.celltrial.adapter.ingest.source;

import java.util.concurrent.atomic.AtomicLong;

/** What a pull works with: the state store (watermark, mirror), the inbox handover, and a count of retries. */
public record SourceContext(SourceStateStore store, DeliveryHandover handover, AtomicLong retries) {
}
