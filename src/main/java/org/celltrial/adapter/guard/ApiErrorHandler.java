package org.celltrial.adapter.guard;

import org.celltrial.adapter.runtime.FatalErrors;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Errors of the adapter's own HTTP API (/api, /ig): one-line JSON bodies ({@code {"status":400,"error":"..."}}) and
 * one log line, no stack trace, for what the client got wrong (bad or unknown query parameters, wrong method, unknown
 * path); 503 when the database is busy or unreachable; a stack trace only for real server errors, with a reference
 * the client also gets.
 */
@RestControllerAdvice
public class ApiErrorHandler extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandler.class);

    private final RefusalLog refusals;
    private final DatabaseWatch database;
    private final int retryAfterSeconds;
    private final java.time.Duration statementTimeout;

    public ApiErrorHandler(RefusalLog refusals, DatabaseWatch database, LimitsProperties limits) {
        this.refusals = refusals;
        this.database = database;
        this.retryAfterSeconds = limits.retryAfterSeconds();
        this.statementTimeout = limits.statementTimeout();
    }

    /** Spring MVC's own exceptions (400, 404, 405, 406, 415...) and ResponseStatusException: one-line JSON. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        String message = ex instanceof ErrorResponse er && er.getBody().getDetail() != null ? er.getBody().getDetail()
                : ex.getMessage();
        refusals.log(status.value() + " " + where(request), where(request) + " -> " + status.value() + " ("
                + ex.getClass().getSimpleName() + ")", false);
        return body(status.value(), message == null ? status.toString() : message, headers);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> other(Exception ex, WebRequest request) {
        FatalErrors.haltIfOutOfMemory(ex, "API request");
        DatabaseErrors.Kind db = DatabaseErrors.classify(ex);
        if (db == DatabaseErrors.Kind.TIMEOUT) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
            refusals.log("503 api statement timeout", where(request) + " -> 503: statement timeout ("
                    + DurationText.of(statementTimeout) + ", " + DatabaseErrors.describe(ex) + ")", true);
            return body(503, FhirErrorGuard.timeoutMessage(statementTimeout), headers);
        }
        if (db != DatabaseErrors.Kind.OTHER) {
            database.reportFailure(ex);
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
            refusals.log("503 api database " + db, where(request) + " -> 503: database " + db.name().toLowerCase()
                    + " (" + DatabaseErrors.describe(ex) + ")", true);
            return body(503, db == DatabaseErrors.Kind.BUSY ? "The database is busy; retry after " + retryAfterSeconds + " s"
                    : "The database is not available; retry later", headers);
        }
        String reference = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("{} -> 500, log reference {}", where(request), reference, ex);
        return body(500, "Internal error (log reference " + reference + ")", new HttpHeaders());
    }

    private static ResponseEntity<Object> body(int status, String message, HttpHeaders headers) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", status);
        json.put("error", message);
        return ResponseEntity.status(status).headers(headers).contentType(MediaType.APPLICATION_JSON).body(json);
    }

    /** Method and the handler's path pattern ({@code /api/deliveries/{id}/records}): no ids, no query. */
    private static String where(WebRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        String method = "?";
        String path = pattern == null ? null : pattern.toString();
        if (request instanceof org.springframework.web.context.request.ServletWebRequest swr) {
            HttpServletRequest r = swr.getRequest();
            method = r.getMethod();
            if (path == null) {
                path = RequestLimitFilter.area(r.getRequestURI());
            }
        }
        return "API " + method + " " + path;
    }

}
