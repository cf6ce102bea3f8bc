package org.celltrial.adapter.guard;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search cancelled by the statement timeout reaches the FHIR error path as HAPI re-throws it: a new
 * InternalErrorException carrying only the database's text (StuckDatabaseIT met exactly this on PostgreSQL).
 */
class DatabaseErrorsTest {

    @Test
    void aSearchHapiRecordedAsFailedByTheTimeoutIsATimeout() {
        assertThat(DatabaseErrors.classify(new InternalErrorException("ERROR: canceling statement due to statement timeout")))
                .isEqualTo(DatabaseErrors.Kind.TIMEOUT);
        assertThat(DatabaseErrors.classify(new InternalErrorException(
                "HAPI-1262: org.hibernate.QueryTimeoutException: Statement was canceled or the session timed out; SQL statement:")))
                .isEqualTo(DatabaseErrors.Kind.TIMEOUT);
        assertThat(DatabaseErrors.classify(new InternalErrorException("HAPI-1262: something else"))).isEqualTo(DatabaseErrors.Kind.OTHER);
    }
}
