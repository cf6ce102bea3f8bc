package org.celltrial.adapter.guard;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which framework log lines the turbo filter drops: only the known ones, and only for the error they stand for. */
class LogHygieneTest {

    private final LoggerContext context = new LoggerContext();
    private final LogHygiene.Filter filter = new LogHygiene.Filter();

    private FilterReply decide(String loggerName, String format, Throwable t) {
        Logger logger = context.getLogger(loggerName);
        return filter.decide(null, logger, Level.ERROR, format, null, t);
    }

    private static RuntimeException cancelledByStatementTimeout() {
        // as Hibernate wraps it: QueryTimeoutException ← PSQLException, SQL state 57014
        return new RuntimeException("JDBC exception executing SQL [SELECT t0.RES_ID FROM HFJ_SPIDX_TOKEN t0 WHERE …]",
                new SQLException("ERROR: canceling statement due to statement timeout", "57014"));
    }

    @Test
    void hapisStackTracesOfASearchCancelledByTheStatementTimeoutAreDropped() {
        // PostgreSQL: HAPI's SearchQueryExecutor logs "Failed to create or execute SQL query" with the whole trace
        assertThat(decide(LogHygiene.HAPI_SEARCH_QUERY_EXECUTOR, "Failed to create or execute SQL query", cancelledByStatementTimeout()))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide(LogHygiene.HAPI_SEARCH_TASK, "Failed during search loading after {}ms", cancelledByStatementTimeout()))
                .isEqualTo(FilterReply.DENY);
    }

    @Test
    void otherErrorsOfTheSameLoggersAndTimeoutsOfOtherLoggersStay() {
        RuntimeException other = new RuntimeException("syntax error", new SQLException("ERROR: syntax error", "42601"));
        assertThat(decide(LogHygiene.HAPI_SEARCH_QUERY_EXECUTOR, "Failed to create or execute SQL query", other))
                .isEqualTo(FilterReply.NEUTRAL);
        assertThat(decide("org.celltrial.adapter.SomethingElse", "failed", cancelledByStatementTimeout()))
                .isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void hibernatesTwoLinesOfACancelledStatementAreDropped() {
        assertThat(decide(LogHygiene.HIBERNATE_SQL_ERRORS, "SQL Error: 0, SQLState: 57014", null)).isEqualTo(FilterReply.DENY);
        assertThat(decide(LogHygiene.HIBERNATE_SQL_ERRORS, "ERROR: canceling statement due to statement timeout", null))
                .isEqualTo(FilterReply.DENY);
        assertThat(decide(LogHygiene.HIBERNATE_SQL_ERRORS, "SQL Error: 0, SQLState: 23505", null)).isEqualTo(FilterReply.NEUTRAL);
    }
}
