package org.celltrial.adapter;

import org.celltrial.adapter.cli.CellTrialCli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * CellTrial FHIR Adapter: pulls trial records (ingest), maps them by the declarative rules in
 * {@code mappings/} (mapping) and serves them from an embedded HAPI FHIR JPA server (server).
 */
// Spring Boot's JWT set-up for Spring Authorization Server generated an RSA key and a decoder on every start, security
// on or off; with security on, server/security configures its own signing key and decoders
@SpringBootApplication(exclude = {ElasticsearchRestClientAutoConfiguration.class, ThymeleafAutoConfiguration.class,
        OAuth2AuthorizationServerJwtAutoConfiguration.class})
@ConfigurationPropertiesScan
public class CellTrialFhirAdapterApplication {

    public static void main(String[] args) {
        if (CellTrialCli.isCommand(args)) {
            // offline command line tools (validate, bench-validate): no Spring, no server
            System.exit(CellTrialCli.run(args));
        }
        SpringApplication app = new SpringApplication(CellTrialFhirAdapterApplication.class);
        if (Boolean.getBoolean("celltrial.startup-profile")) {
            // records bean init times for /actuator/startup; see docs/benchmarks.md
            app.setApplicationStartup(new BufferingApplicationStartup(20_000));
        }
        app.run(args);
    }
}
