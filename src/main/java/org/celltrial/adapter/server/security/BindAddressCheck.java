package org.celltrial.adapter.server.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Refuses to start without authentication on any other interface than loopback: without security the FHIR API and
 * the admin API answer anyone who reaches the port. Set {@code celltrial.security.enabled=true} (bearer tokens), or,
 * where something else guards the port (a container whose port is published on 127.0.0.1 only),
 * {@code celltrial.security.allow-unauthenticated-network=true}.
 */
@Component
public class BindAddressCheck {

    public BindAddressCheck(SecurityProperties security, @Value("${server.address:}") String address) {
        if (security.enabled() || security.allowUnauthenticatedNetwork()) {
            return;
        }
        if (!isLoopback(address)) {
            throw new IllegalStateException("server.address " + address + " listens beyond this machine without"
                    + " authentication: set celltrial.security.enabled=true (SMART Backend Services tokens, README"
                    + " \"Connecting a registry or EHR\") or listen on 127.0.0.1");
        }
    }

    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false; // Spring Boot's default: every interface
        }
        try {
            return InetAddress.getByName(address.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
