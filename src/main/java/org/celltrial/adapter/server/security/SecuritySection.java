package org.celltrial.adapter.server.security;

import org.celltrial.adapter.server.CapabilityStatementCustomizer;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * The CapabilityStatement's {@code rest.security}: how a client is authorized here. With security on, SMART on FHIR
 * (Backend Services) with the token endpoint in the {@code oauth-uris} extension (when our public base URL or the
 * external endpoint is configured; the smart-configuration document always has it); with security off, a description
 * that there is none and why that is safe (this machine only, read-only).
 */
public final class SecuritySection implements CapabilityStatementCustomizer {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    static final String SERVICES = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    private final SecurityProperties security;
    private final boolean cors;

    public SecuritySection(SecurityProperties security, boolean cors) {
        this.security = security;
        this.cors = cors;
    }

    @Override
    public void customize(CapabilityStatement statement) {
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            CapabilityStatement.CapabilityStatementRestSecurityComponent section = rest.getSecurity();
            section.setCors(cors);
            if (!security.enabled()) {
                section.setDescription("No authentication: the server answers on this machine's loopback interface only"
                        + " and is read-only, but for Subscriptions (rest-hook). Registries and EHRs on other hosts connect with SMART Backend Services once"
                        + " security is turned on (celltrial.security.enabled).");
                continue;
            }
            section.addService().addCoding(new Coding(SERVICES, "SMART-on-FHIR", "SMART-on-FHIR"))
                    .setText("SMART Backend Services (client_credentials, private_key_jwt RS384/ES384)");
            section.setDescription("Bearer tokens with SMART system scopes (system/<Type>.rs, v1 system/<Type>.read) are"
                    + " required on every request but this statement; see .well-known/smart-configuration. Each client"
                    + " sees only the studies it is granted; AuditEvents need system/AuditEvent.rs.");
            String token = tokenEndpoint();
            if (token != null) {
                Extension uris = section.addExtension().setUrl(OAUTH_URIS);
                uris.addExtension("token", new UriType(token));
            }
        }
    }

    private String tokenEndpoint() {
        if (security.externalIssuer()) {
            return blank(security.external().tokenEndpoint()) ? null : security.external().tokenEndpoint();
        }
        return blank(security.issuer()) ? null : security.issuer().replaceAll("/+$", "") + "/oauth2/token";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
