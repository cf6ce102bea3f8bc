package org.celltrial.adapter.guard;

import org.celltrial.adapter.runtime.FatalErrors;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * The first thing every request to /fhir, /api and /ig meets (actuator probes are not limited). In this order:
 * <ol>
 *   <li>a declared body (Content-Length) over {@code max-request-body}: 413, the body is not read;</li>
 *   <li>the client (remote address) over its rate or its requests in progress: 429 with Retry-After;</li>
 *   <li>FHIR searches with wildcard includes, too many includes or a refused {@code _total}: 400;</li>
 *   <li>an expensive FHIR request ({@link FhirRequestRules#isExpensive}) while {@code expensive-max-concurrent} are
 *       running: 503 with Retry-After, at once (no queue);</li>
 *   <li>otherwise the request goes on with its body counted while it is read ({@link LimitedBodyRequest}).</li>
 * </ol>
 * Each refusal is logged in one line ({@link RefusalLog}). An OutOfMemoryError on the way out halts the process
 * ({@link FatalErrors}).
 */
public class RequestLimitFilter implements Filter {

    private final LimitsProperties limits;
    private final String fhirPath;
    private final ClientLimiter clients;
    private final Semaphore expensive;
    private final RefusalLog refusals;

    public RequestLimitFilter(LimitsProperties limits, String fhirPath, RefusalLog refusals) {
        this.limits = limits;
        this.fhirPath = fhirPath.endsWith("/") ? fhirPath.substring(0, fhirPath.length() - 1) : fhirPath;
        this.clients = new ClientLimiter(limits.clientMaxConcurrent(), limits.clientRequestsPerSecond(), limits.clientBurst());
        this.expensive = new Semaphore(limits.expensiveMaxConcurrent());
        this.refusals = refusals;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean fhir = path.equals(fhirPath) || path.startsWith(fhirPath + "/");
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String what = fhir ? "FHIR " + method + " " + describe(path.substring(fhirPath.length())) : method + " " + area(path);
        long max = limits.maxRequestBody().toBytes();

        long declared = request.getContentLengthLong();
        if (declared > max) {
            refusals.log("413", what + " -> 413: body of " + declared + " bytes over the limit of " + max, false);
            ErrorBodies.write(response, fhir, 413, "too-long", BodyTooLargeException.message(max, false), 0, true);
            return;
        }
        ClientLimiter.Verdict client = clients.acquire(request.getRemoteAddr());
        if (!client.allowed()) {
            refusals.log("429 " + client.refusal(), what + " -> 429: " + client.refusal(), false);
            ErrorBodies.write(response, fhir, 429, "throttled", "Too many requests: " + client.refusal() + "; retry after "
                    + client.retryAfterSeconds() + " s", client.retryAfterSeconds(), false);
            return;
        }
        boolean expensivePermit = false;
        try {
            if (fhir) {
                Map<String, String[]> params = request.getParameterMap();
                String refusal = FhirRequestRules.refusal(params, limits);
                if (refusal != null) {
                    refusals.log("400 rules", what + " -> 400: refused by the search rules", false);
                    ErrorBodies.write(response, true, 400, "too-costly", refusal, 0, false);
                    return;
                }
                if (FhirRequestRules.isExpensive(method, path.substring(fhirPath.length()), params, limits)) {
                    if (!expensive.tryAcquire()) {
                        refusals.log("503 expensive", what + " -> 503: " + limits.expensiveMaxConcurrent()
                                + " expensive requests already running", true);
                        ErrorBodies.write(response, true, 503, "throttled", "The server is busy with "
                                + limits.expensiveMaxConcurrent() + " expensive requests ($everything, $validate, includes, "
                                + "counts, sorts, large pages); retry after " + limits.retryAfterSeconds() + " s",
                                limits.retryAfterSeconds(), false);
                        return;
                    }
                    expensivePermit = true;
                }
            }
            try {
                chain.doFilter(new LimitedBodyRequest(request, max), response);
            } catch (IOException | ServletException | RuntimeException | Error e) {
                FatalErrors.haltIfOutOfMemory(e, what);
                BodyTooLargeException tooLarge = find(e, BodyTooLargeException.class);
                if (tooLarge != null && !response.isCommitted()) {
                    refusals.log("413", what + " -> 413: body over the limit of " + max + " bytes", false);
                    ErrorBodies.write(response, fhir, 413, "too-long", tooLarge.getMessage(), 0, true);
                    return;
                }
                BodyUnreadableException unreadable = find(e, BodyUnreadableException.class);
                if (unreadable != null && !response.isCommitted()) {
                    refusals.log("400 body", what + " -> 400: " + unreadable.getMessage(), false);
                    ErrorBodies.write(response, fhir, 400, "invalid", unreadable.getMessage(), 0, true);
                    return;
                }
                throw e;
            }
        } finally {
            if (expensivePermit) {
                expensive.release();
            }
            client.permit().release();
        }
    }

    /** {@code ResearchSubject search}, {@code Patient/* $everything}: type and operation, never ids or values. */
    static String describe(String subPath) {
        String[] parts = subPath.split("/");
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String p : parts) {
            if (p.isEmpty()) continue;
            n++;
            if (n == 1) {
                out.append(LogScrubber.pathWord(p));   // a type, an operation or metadata: never an id
            } else if (p.startsWith("$") || p.startsWith("_")) {
                out.append(' ').append(LogScrubber.pathWord(p));
            } else if (n == 2) {
                out.append(" {id}");
            }
        }
        return n == 0 ? "(base)" : out.toString();
    }

    /** {@code /api/deliveries}: the first two segments of a non-FHIR path (no ids). */
    static String area(String path) {
        String[] parts = path.split("/");
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (String p : parts) {
            if (p.isEmpty()) continue;
            if (++n > 2) {
                out.append("/...");
                break;
            }
            out.append('/').append(cut(p));
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    private static String cut(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^A-Za-z0-9$_.\\-]", "?");
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
