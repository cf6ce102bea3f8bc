package org.celltrial.adapter.guard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what one request, one client and all clients together may cost the server, under
 * {@code celltrial.limits} in application.yaml. A request over a limit is refused at once (413, 429, 503 or 400, with
 * the reason in an OperationOutcome) instead of being queued until memory or the database pool runs out.
 *
 * @param maxRequestBody          largest request body (/fhir incl. $validate and batches, /api), also after gzip decoding
 * @param clientMaxConcurrent     requests one client (remote address) may have in progress at once; more: 429
 * @param clientRequestsPerSecond sustained requests per second of one client; more: 429 with Retry-After
 * @param clientBurst             requests one client may send at once above its sustained rate
 * @param expensiveMaxConcurrent  expensive FHIR requests in progress at once, all clients together; more: 503
 * @param expensivePageSize       a search asking for more entries per page ({@code _count}) than this is expensive
 * @param maxIncludeParameters    {@code _include} and {@code _revinclude} parameters allowed in one search
 * @param maxIncludesPerPage      resources HAPI adds to one page through includes (JpaStorageSettings)
 * @param allowTotalAccurate      {@code _total=accurate} allowed (counted as expensive); false: refused with 400
 * @param retryAfterSeconds       Retry-After of a 503 when the server or its database is busy
 * @param statementTimeout        longest one SQL statement of a request may run (searches, operations, /api); then it is
 *                                cancelled by the database and the request answers 503 (0: no limit)
 * @param backgroundStatementTimeout longest one SQL statement of the ingest and other background work may run: a
 *                                backstop far above any such statement (they take milliseconds), below the delivery's
 *                                time budget (0: no limit)
 */
@ConfigurationProperties(prefix = "celltrial.limits")
public record LimitsProperties(
        @DefaultValue("10MB") DataSize maxRequestBody,
        @DefaultValue("16") int clientMaxConcurrent,
        @DefaultValue("100") double clientRequestsPerSecond,
        @DefaultValue("200") int clientBurst,
        @DefaultValue("4") int expensiveMaxConcurrent,
        @DefaultValue("100") int expensivePageSize,
        @DefaultValue("10") int maxIncludeParameters,
        @DefaultValue("1000") int maxIncludesPerPage,
        @DefaultValue("true") boolean allowTotalAccurate,
        @DefaultValue("2") int retryAfterSeconds,
        @DefaultValue("30s") java.time.Duration statementTimeout,
        @DefaultValue("10m") java.time.Duration backgroundStatementTimeout) {

    /** Without statement timeouts given: their defaults. */
    public LimitsProperties(DataSize maxRequestBody, int clientMaxConcurrent, double clientRequestsPerSecond, int clientBurst,
                            int expensiveMaxConcurrent, int expensivePageSize, int maxIncludeParameters, int maxIncludesPerPage,
                            boolean allowTotalAccurate, int retryAfterSeconds) {
        this(maxRequestBody, clientMaxConcurrent, clientRequestsPerSecond, clientBurst, expensiveMaxConcurrent, expensivePageSize,
                maxIncludeParameters, maxIncludesPerPage, allowTotalAccurate, retryAfterSeconds, DEFAULT_STATEMENT_TIMEOUT,
                DEFAULT_BACKGROUND_STATEMENT_TIMEOUT);
    }

    public static final java.time.Duration DEFAULT_STATEMENT_TIMEOUT = java.time.Duration.ofSeconds(30);
    public static final java.time.Duration DEFAULT_BACKGROUND_STATEMENT_TIMEOUT = java.time.Duration.ofMinutes(10);

    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public LimitsProperties {
        if (maxRequestBody == null || maxRequestBody.toBytes() <= 0) {
            throw new IllegalArgumentException("celltrial.limits.max-request-body must be positive");
        }
        if (clientMaxConcurrent <= 0 || clientRequestsPerSecond <= 0 || clientBurst <= 0 || expensiveMaxConcurrent <= 0
                || expensivePageSize <= 0 || maxIncludeParameters < 0 || maxIncludesPerPage <= 0 || retryAfterSeconds <= 0) {
            throw new IllegalArgumentException("celltrial.limits.*: counts, rates and times must be positive");
        }
        if (statementTimeout == null) {
            statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        }
        if (backgroundStatementTimeout == null) {
            backgroundStatementTimeout = DEFAULT_BACKGROUND_STATEMENT_TIMEOUT;
        }
        if (statementTimeout.isNegative() || backgroundStatementTimeout.isNegative()) {
            throw new IllegalArgumentException("celltrial.limits.*statement-timeout: must not be negative (0: no limit)");
        }
    }

    /** The defaults, as when nothing is configured (for tests and tools). */
    public static LimitsProperties defaults() {
        return new LimitsProperties(DataSize.ofMegabytes(10), 16, 100, 200, 4, 100, 10, 1000, true, 2);
    }
}
