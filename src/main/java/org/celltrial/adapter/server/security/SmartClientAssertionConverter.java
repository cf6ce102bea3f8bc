package org.celltrial.adapter.server.security;

import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a SMART client assertion from a token request. SMART Backend Services clients send no {@code client_id} (the
 * assertion's {@code iss} names the client, RFC 7523 makes it optional), while Spring Authorization Server's own
 * converter requires one; so the client is looked up by the assertion's issuer, which the signature check then
 * proves ({@link ClientAssertionDecoders}: {@code iss} must be the client id). A {@code client_id} that is sent is used.
 */
final class SmartClientAssertionConverter implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The method Spring Authorization Server's JWT client assertion provider handles. */
    static final ClientAuthenticationMethod JWT_ASSERTION = new ClientAuthenticationMethod(JWT_BEARER);
    private static final Set<String> OWN = Set.of("client_assertion_type", "client_assertion", "client_id");

    @Override
    public Authentication convert(HttpServletRequest request) {
        String type = request.getParameter("client_assertion_type");
        String assertion = request.getParameter("client_assertion");
        if (type == null || assertion == null) {
            return null;
        }
        if (!JWT_BEARER.equals(type) || request.getParameterValues("client_assertion").length != 1) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        String clientId = request.getParameter("client_id");
        if (clientId == null || clientId.isBlank()) {
            try {
                clientId = SignedJWT.parse(assertion).getJWTClaimsSet().getIssuer();
            } catch (ParseException e) {
                clientId = null;
            }
            if (clientId == null || clientId.isBlank()) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
                        "client_assertion is not a signed JWT naming its client (iss)", null));
            }
        }
        Map<String, Object> additional = new HashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            if (!OWN.contains(name)) {
                additional.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return new OAuth2ClientAuthenticationToken(clientId, JWT_ASSERTION, assertion, additional);
    }
}
