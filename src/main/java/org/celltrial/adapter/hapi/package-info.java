/**
 * The seam to HAPI FHIR's and the HL7 validator's internals: everything of ours that relies on what those libraries do
 * not promise as an API (bean classes swapped, private fields reached by reflection, table names, patterns copied from
 * the validator, the foreign keys left out of HAPI's schema) lives here, each place marked {@code HAPI-COUPLING}
 * ({@code grep -rn HAPI-COUPLING src/main}). Outside it, marked too: {@code ca.uhn.fhir.jpa.dao
 * .SinglePassHashResourceHistoryCalculator}, which must sit in HAPI's package; the {@code @Metadata} binding and the
 * shared reference rows in {@code server/}; the pointcuts and matcher the rest-hook outbox relies on in
 * {@code server/subscription/} (public API whose behaviour it depends on, no reflection).
 *
 * <p>Upgrading HAPI: run the canaries first ({@code ./mvnw test -Dtest='HapiUpgradeCanaryTest'} and
 * {@code -Dit.test=HapiUpgradeCanaryIT}); each failure names the coupling that changed. README, "Upgrading HAPI FHIR".
 *
 * <p>This package imports nothing else of ours: every other package may use it.
 */
package org.celltrial.adapter.hapi;
