package org.celltrial.adapter.ingest;

import java.util.List;

/** A study delivery: a folder or zip of SDTM datasets, read into memory. */
public record Delivery(String name, List<DeliveryFile> files) {
}
