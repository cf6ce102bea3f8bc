package org.celltrial.adapter.server;

import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Adjusts the CapabilityStatement HAPI generates before it is served (and cached) at {@code /fhir/metadata}. Every
 * bean of this type is applied, in {@link org.springframework.core.annotation.Order} order, to a fresh statement:
 * e.g. {@link ServedInteractions} keeps only what a client may do; a security section can be added the same way.
 */
@FunctionalInterface
public interface CapabilityStatementCustomizer {

    void customize(CapabilityStatement statement);
}
