package org.celltrial.adapter.server.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.celltrial.adapter.server.FhirServerProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET [fhir base]/.well-known/smart-configuration} (SMART App Launch 2.x): how a backend service gets a token
 * here. Answered before the FHIR servlet, which would take ".well-known" for a resource type. Public, like the
 * CapabilityStatement. Only with security on: without it there is nothing to discover.
 */
@Component
@ConditionalOnProperty(prefix = "celltrial.security", name = "enabled", havingValue = "true")
public class SmartConfigurationFilter extends OncePerRequestFilter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/.well-known/smart-configuration";

    private final SecurityProperties security;
    private final String fhirPath;

    public SmartConfigurationFilter(SecurityProperties security, FhirServerProperties fhir) {
        this.security = security;
        this.fhirPath = fhir.path();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !"GET".equals(request.getMethod()) || !(path.equals(fhirPath + PATH) || path.equals(PATH));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setContentType("application/json");
        JSON.writeValue(response.getOutputStream(), document(baseUrl(request)));
    }

    Map<String, Object> document(String base) {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (security.externalIssuer()) {
            doc.put("issuer", security.external().issuerUri());
            doc.put("token_endpoint", security.external().tokenEndpoint());
            if (security.external().jwkSetUri() != null) {
                doc.put("jwks_uri", security.external().jwkSetUri());
            }
        } else {
            doc.put("issuer", base);
            doc.put("token_endpoint", base + "/oauth2/token");
            doc.put("jwks_uri", base + "/oauth2/jwks");
        }
        doc.put("grant_types_supported", List.of("client_credentials"));
        doc.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        doc.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        doc.put("scopes_supported", List.of("system/*.rs", "system/*.read", "system/Patient.rs", "system/Procedure.rs",
                "system/AdverseEvent.rs", "system/Observation.rs", security.adminScope()));
        doc.put("capabilities", List.of("client-confidential-asymmetric"));
        return doc;
    }

    private String baseUrl(HttpServletRequest request) {
        if (security.issuer() != null && !security.issuer().isBlank()) {
            return security.issuer().replaceAll("/+$", "");
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }
}
