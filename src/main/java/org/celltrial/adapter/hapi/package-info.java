/**
 * The seam to HAPI FHIR's and the HL7 validator's internals: everything of ours that relies on what those libraries do
 * not promise as an API (bean classes swapped, private fields reached by reflection, table names, patterns copied from
 * the validator, the foreign keys left out of HAPI's schema) lives here, each place marked {@code HAPI-COUPLING}
 * ({@code grep -rn HAPI-COUPLING src/main}). The one exception is
 * {@code ca.uhn.fhir.jpa.dao.SinglePassHashResourceHistoryCalculator}, which must sit in HAPI's package.
 *
 * <p>Upgrading HAPI: run the canaries first ({@code ./mvnw test -Dtest='HapiUpgradeCanaryTest'} and
 * {@code -Dit.test=HapiUpgradeCanaryIT}); each failure names the coupling that changed. README, "Upgrading HAPI FHIR".
 *
 * <p>This package imports nothing else of ours: every other package may use it.
 */
package org.celltrial.adapter.hapi;
