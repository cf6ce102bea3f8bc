package org.celltrial.adapter.ingest.pipeline;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures retry the whole delivery (the database is down or briefly refused) and which fail the subject. */
class StorageUnavailableClassificationTest {

    @Test
    void aDeadlockOrSerializationFailureAnywhereInTheChainRetriesTheDelivery() {
        assertThat(StorageUnavailableException.isCause(
                new RuntimeException(new SQLException("deadlock detected", "40P01")))).isTrue();
        assertThat(StorageUnavailableException.isCause(
                new RuntimeException(new RuntimeException(new SQLException("could not serialize access", "40001"))))).isTrue();
    }

    @Test
    void aLockErrorAsHapiWrapsItRetriesTheDelivery() {
        ResourceVersionConflictException wrapped = new ResourceVersionConflictException("lock");
        wrapped.initCause(new jakarta.persistence.PessimisticLockException("could not obtain lock",
                new SQLException("lock timeout", "55P03")));
        assertThat(StorageUnavailableException.isCause(wrapped)).isTrue();
    }

    @Test
    void theServerRefusingContentOrAUniqueViolationFailsTheSubject() {
        assertThat(StorageUnavailableException.isCause(new InvalidRequestException("bad reference"))).isFalse();
        assertThat(StorageUnavailableException.isCause(
                new RuntimeException(new SQLException("duplicate key value", "23505")))).isFalse();
    }
}
