package org.celltrial.adapter.guard;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A path with an empty segment ({@code //fhir//Patient}) is refused with 400 before anything parses it: Spring's
 * request-path parsing (ahead of the security filters) throws on it, which answered 500, and servlets and security
 * rules would each read such a path their own way.
 */
public class EmptyPathSegmentFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().contains("//")) {
            response.setStatus(400);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"the request path"
                    + " has an empty segment (//)\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
