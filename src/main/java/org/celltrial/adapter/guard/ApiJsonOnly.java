package org.celltrial.adapter.guard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerInterceptor;

import java.util.Locale;
import java.util.Set;

/**
 * State-changing requests to the admin API ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under /api) must
 * say {@code Content-Type: application/json}, also without a body; anything else is refused with 415 before the
 * handler runs. Why: a web page can make a browser send a POST with {@code text/plain}, a form type or no body at
 * all to any address without asking first (no CORS preflight), so {@code POST /api/mappings/reload} was reachable
 * from any site open in a browser on the same machine. A JSON content type makes the browser ask first, and without
 * a CORS permission the request is never sent.
 */
public class ApiJsonOnly implements HandlerInterceptor {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    static final String MESSAGE = "State-changing /api requests need the header 'Content-Type: application/json'"
            + " (also without a body)";

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (STATE_CHANGING.contains(request.getMethod().toUpperCase(Locale.ROOT)) && !isJson(request.getContentType())) {
            throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MESSAGE);
        }
        return true;
    }

    /** application/json, with parameters (charset) or not; the client's value is never echoed. */
    static boolean isJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (IllegalArgumentException unparsable) { // MediaType's InvalidMediaTypeException: a 415, not a 500
            return false;
        }
    }
}
