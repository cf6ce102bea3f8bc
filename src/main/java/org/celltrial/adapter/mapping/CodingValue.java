package org.celltrial.adapter.mapping;

/** A code a translation produces: system, code and optional display. */
public record CodingValue(String system, String code, String display) {
}
