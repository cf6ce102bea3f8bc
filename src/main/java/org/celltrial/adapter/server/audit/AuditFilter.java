package org.celltrial.adapter.server.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.celltrial.adapter.server.security.TokenClients;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records every access to the FHIR API, the admin API and the token endpoint, refused ones included, once its
 * answer is known. It sits in the security filter chain just inside the security context, so it sees the client a
 * token was issued to (or none, when the token was refused) and the status answered. Public documents and health
 * probes are not recorded: they carry no patient data, and probes would flood the trail.
 */
public class AuditFilter extends OncePerRequestFilter {

    private final AuditWriter writer;
    private final String fhirPath;

    public AuditFilter(AuditWriter writer, String fhirPath) {
        this.writer = writer;
        this.fhirPath = fhirPath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        boolean fhir = path.equals(fhirPath) || path.startsWith(fhirPath + "/");
        boolean publicDocument = path.equals(fhirPath + "/metadata") || path.endsWith("/.well-known/smart-configuration");
        return !(fhir && !publicDocument || path.startsWith("/api/") || path.equals("/oauth2/token"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant started = Instant.now();
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            writer.record(new AccessRecord(started, client(request), request.getRemoteAddr(), request.getMethod(),
                    requested(request), interaction(request), status, patients(request)));
        }
    }

    private String interaction(HttpServletRequest request) {
        String path = path(request);
        if (path.equals("/oauth2/token")) {
            return "token";
        }
        if (path.startsWith("/api/")) {
            return "admin-api";
        }
        Object captured = request.getAttribute(AuditCapture.INTERACTION);
        return captured != null ? captured.toString() : "unknown";
    }

    private static String client(HttpServletRequest request) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        String fromToken = TokenClients.clientId(auth);
        if (fromToken != null) {
            return fromToken;
        }
        if (auth != null && auth.isAuthenticated() && !"anonymousUser".equals(auth.getPrincipal())) {
            return auth.getName(); // the token endpoint: the client its assertion authenticated
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<String> patients(HttpServletRequest request) {
        Object captured = request.getAttribute(AuditCapture.PATIENTS);
        return captured instanceof Set<?> set ? new ArrayList<>((Set<String>) set) : List.of();
    }

    private static String requested(HttpServletRequest request) {
        String query = request.getQueryString();
        return path(request) + (query == null ? "" : "?" + query);
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
