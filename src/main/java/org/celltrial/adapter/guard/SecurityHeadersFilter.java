package org.celltrial.adapter.guard;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Standard security headers on every response, set before anything else runs so that refusals written by the guard,
 * HAPI's errors and Spring's error pages carry them too: no MIME sniffing, never framed, no Referer to other sites,
 * and, for patient data and the admin API (/fhir, /api), not stored by browsers or proxies.
 */
public class SecurityHeadersFilter implements Filter {

    private final String fhirPath;

    public SecurityHeadersFilter(String fhirPath) {
        this.fhirPath = fhirPath.endsWith("/") ? fhirPath.substring(0, fhirPath.length() - 1) : fhirPath;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && res instanceof HttpServletResponse response) {
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("X-Frame-Options", "DENY");
            // HAPI's HTML view for browsers uses inline styles and scripts: only framing is restricted
            response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
            response.setHeader("Referrer-Policy", "no-referrer");
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.equals(fhirPath) || path.startsWith(fhirPath + "/") || path.equals("/api") || path.startsWith("/api/")) {
                response.setHeader("Cache-Control", "no-store");
            }
        }
        chain.doFilter(req, res);
    }
}
