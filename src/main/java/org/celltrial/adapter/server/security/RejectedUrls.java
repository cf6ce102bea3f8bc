package org.celltrial.adapter.server.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.nio.charset.StandardCharsets;

/**
 * Spring Security's firewall refuses URLs that paths can be confused by ({@code //fhir//Patient}, encoded slashes,
 * dot segments, semicolons). Its default answer is a 500 with the refused path; a client sent a bad request, so it
 * gets 400 with a short body that does not echo the URL.
 */
@Configuration
public class RejectedUrls {

    @Bean
    public WebSecurityCustomizer rejectedUrlsAreBadRequests() {
        return web -> web.requestRejectedHandler(badRequest());
    }

    static RequestRejectedHandler badRequest() {
        return (request, response, rejected) -> {
            response.setStatus(400);
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"status\":400,\"error\":\"Bad Request\",\"message\":\"the request URL was"
                    + " refused: it has an empty, encoded or relative path segment\"}").getBytes(StandardCharsets.UTF_8));
        };
    }
}
