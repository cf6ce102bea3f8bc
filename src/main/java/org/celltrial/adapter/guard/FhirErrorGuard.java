package org.celltrial.adapter.guard;

import org.celltrial.adapter.runtime.FatalErrors;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every failed FHIR request passes here before HAPI answers it:
 * <ul>
 *   <li>an OutOfMemoryError halts the process ({@link FatalErrors});</li>
 *   <li>no pooled database connection in time (the pool is busy) or an unreachable database: 503 with Retry-After,
 *       not a 500 with a stack trace; H2 having closed the embedded database also breaks liveness
 *       ({@link DatabaseWatch});</li>
 *   <li>a parse error of a value (e.g. a malformed date in a search): 400;</li>
 *   <li>expected refusals (4xx) and 503s are logged in one line, naming the resource type and operation and HAPI's
 *       message code, never ids, values or the message; only other server errors (500) log their stack trace, with a
 *       reference the client also gets.</li>
 * </ul>
 * Because this returns an exception with its OperationOutcome set, HAPI's own exception handler does not log again.
 */
@Interceptor
public class FhirErrorGuard {

    private static final Logger LOG = LoggerFactory.getLogger(FhirErrorGuard.class);
    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d{4}");

    private final FhirContext context;
    private final DatabaseWatch database;
    private final RefusalLog refusals;
    private final int retryAfterSeconds;
    private final java.time.Duration statementTimeout;

    public FhirErrorGuard(FhirContext context, DatabaseWatch database, RefusalLog refusals, int retryAfterSeconds,
                          java.time.Duration statementTimeout) {
        this.context = context;
        this.database = database;
        this.refusals = refusals;
        this.retryAfterSeconds = retryAfterSeconds;
        this.statementTimeout = statementTimeout;
    }

    public FhirErrorGuard(FhirContext context, DatabaseWatch database, RefusalLog refusals, int retryAfterSeconds) {
        this(context, database, refusals, retryAfterSeconds, LimitsProperties.DEFAULT_STATEMENT_TIMEOUT);
    }

    /** The answer to a request whose statement ran past the timeout: the same for FHIR and /api. */
    static String timeoutMessage(java.time.Duration timeout) {
        return "The request needed longer than the limit of " + DurationText.of(timeout) + " for one database query"
                + " (celltrial.limits.statement-timeout) and was stopped; make it more specific (fewer _include or"
                + " _revinclude, a smaller _count, no _total=accurate, more search parameters) or retry when the server is less busy";
    }

    @Hook(value = Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION, order = -1000)
    public BaseServerResponseException outgoing(RequestDetails request, Throwable error) {
        FatalErrors.haltIfOutOfMemory(error, "FHIR request");
        String what = describe(request);
        BaseServerResponseException answer;
        if (error instanceof BaseServerResponseException known && known.getStatusCode() < 500) {
            answer = known;
        } else {
            DatabaseErrors.Kind db = DatabaseErrors.classify(error);
            if (db == DatabaseErrors.Kind.TIMEOUT) {
                String message = timeoutMessage(statementTimeout);
                answer = new UnclassifiedServerFailureException(503, message);
                answer.addResponseHeader("Retry-After", Integer.toString(retryAfterSeconds));
                answer.setOperationOutcome(outcome("timeout", message));
                refusals.log("503 statement timeout " + what, what + " -> 503: statement timeout ("
                        + DurationText.of(statementTimeout) + ", " + DatabaseErrors.describe(error) + ")", true);
                return answer;
            }
            if (db != DatabaseErrors.Kind.OTHER) {
                if (database != null) {
                    database.reportFailure(error);
                }
                String message = switch (db) {
                    case BUSY -> "The database is busy (no connection free in time); retry after " + retryAfterSeconds + " s";
                    case CLOSED -> "The embedded database was closed after a fatal error; the server must be restarted";
                    default -> "The database cannot be reached; retry later";
                };
                answer = new UnclassifiedServerFailureException(503, message);
                answer.addResponseHeader("Retry-After", Integer.toString(retryAfterSeconds));
                answer.setOperationOutcome(outcome("transient", message));
                refusals.log("503 database " + db, what + " -> 503: database " + db.name().toLowerCase() + " ("
                        + DatabaseErrors.describe(error) + ")", true);
                return answer;
            }
            if (error instanceof BaseServerResponseException known) {
                answer = known;
            } else if (error instanceof DataFormatException) {
                answer = new InvalidRequestException(error.getMessage());
            } else {
                String reference = UUID.randomUUID().toString().substring(0, 8);
                answer = new InternalErrorException("Internal error (log reference " + reference + ")");
                answer.setOperationOutcome(outcome("exception", answer.getMessage()));
                LOG.error("{} -> 500, log reference {}", what, reference, error);
                return answer;
            }
        }
        if (answer.getOperationOutcome() == null) {
            answer.setOperationOutcome(outcome(issueCode(answer.getStatusCode()), answer.getMessage()));
        }
        int status = answer.getStatusCode();
        String line = what + " -> " + status + " " + code(answer) + answer.getClass().getSimpleName();
        if (status < 500) {
            refusals.log(status + " " + what, line, false);
        } else {
            LOG.error("{}", line, error);
        }
        return answer;
    }

    private IBaseOperationOutcome outcome(String code, String message) {
        IBaseOperationOutcome oo = OperationOutcomeUtil.newInstance(context);
        OperationOutcomeUtil.addIssue(context, oo, "error", message, null, code);
        return oo;
    }

    private static String issueCode(int status) {
        return switch (status) {
            case 401, 403 -> "forbidden";
            case 404, 410 -> "not-found";
            case 405, 501 -> "not-supported";
            case 409, 412 -> "conflict";
            case 413 -> "too-long";
            case 422 -> "processing";
            case 429, 503 -> "throttled";
            default -> status < 500 ? "invalid" : "exception";
        };
    }

    private static String code(Throwable e) {
        Matcher m = HAPI_CODE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group() + " " : "";
    }

    /** "FHIR GET ResearchSubject SEARCH_TYPE": method, type and operation, no ids, no parameters. */
    static String describe(RequestDetails request) {
        if (request == null) {
            return "FHIR request";
        }
        StringBuilder out = new StringBuilder("FHIR ");
        out.append(request.getRequestType() == null ? "?" : request.getRequestType().name());
        if (request.getResourceName() != null) {
            out.append(' ').append(LogScrubber.pathWord(request.getResourceName()));
        }
        if (request.getOperation() != null) {
            out.append(' ').append(LogScrubber.pathWord(request.getOperation()));
        } else if (request.getRestOperationType() != null) {
            out.append(' ').append(request.getRestOperationType().getCode());
        }
        return out.toString();
    }
}
