package org.celltrial.adapter.server.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.List;

/** Which client a request's access token was issued to. */
public final class TokenClients {

    private TokenClients() {
    }

    /** {@code client_id} or {@code azp} (external servers), else the token's subject; null without a token. */
    public static String clientId(Authentication auth) {
        if (auth instanceof JwtAuthenticationToken jwt) {
            for (String claim : List.of("client_id", "azp", "sub")) {
                String v = jwt.getToken().getClaimAsString(claim);
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        }
        return null;
    }
}
