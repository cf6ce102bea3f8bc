package org.celltrial.adapter.ingest;

/** One file of a delivery, held in memory: its name (without folders) and content. */
public record DeliveryFile(String name, byte[] content) {
}
