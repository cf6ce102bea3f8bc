package org.celltrial.adapter.server;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the CapabilityStatement once our search parameters ({@link SearchParameterSelection}, order -1) and IG
 * profiles ({@link ConformanceResourceInstaller}, order 0) are in place: the HTTP port is open before these start
 * runners run, so a client asking meanwhile got (and cached) a statement without our profiles.
 */
@Component
@Order(1)
public class CapabilityStatementRefresh implements ApplicationRunner {

    private final RestfulServer server;

    public CapabilityStatementRefresh(RestfulServer server) {
        this.server = server;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (server.getServerConformanceProvider() instanceof CellTrialCapabilityStatementProvider provider) {
            provider.refresh();
        }
    }
}
