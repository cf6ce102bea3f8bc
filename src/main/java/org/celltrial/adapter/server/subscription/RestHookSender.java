package org.celltrial.adapter.server.subscription;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Sends one rest-hook notification as R4 describes it: without a payload an empty POST to the endpoint; with one, the
 * resource PUT to {@code [endpoint]/[type]/[id]} in the payload's format (as HAPI's rest-hook delivery does). The
 * Subscription's headers are sent as given. Redirects are not followed (an endpoint cannot send us elsewhere).
 */
public class RestHookSender {

    /** The outcome: delivered, or why not (status code or exception class; no URL, header or body). */
    public record Outcome(boolean delivered, String failure) {
    }

    private final HttpClient http;
    private final FhirContext ctx;
    private final Duration requestTimeout;

    public RestHookSender(FhirContext ctx, Duration connectTimeout, Duration requestTimeout) {
        this.ctx = ctx;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Outcome send(RestHookSubscription s, IBaseResource resource) {
        HttpRequest.Builder request;
        try {
            if (s.hasPayload()) {
                boolean xml = s.payload().toLowerCase(Locale.ROOT).contains("xml");
                String body = (xml ? ctx.newXmlParser() : ctx.newJsonParser()).encodeResourceToString(resource);
                String base = s.endpoint().endsWith("/") ? s.endpoint() : s.endpoint() + "/";
                request = HttpRequest.newBuilder(URI.create(base + resource.fhirType() + "/"
                                + resource.getIdElement().getIdPart()))
                        .header("Content-Type", (xml ? "application/fhir+xml" : "application/fhir+json") + "; charset=UTF-8")
                        .PUT(HttpRequest.BodyPublishers.ofString(body));
            } else {
                request = HttpRequest.newBuilder(URI.create(s.endpoint())).POST(HttpRequest.BodyPublishers.noBody());
            }
            request.timeout(requestTimeout);
            for (String h : s.headers()) {
                int colon = h.indexOf(':');
                request.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            return code >= 200 && code < 300 ? new Outcome(true, null) : new Outcome(false, "HTTP " + code);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "interrupted");
        } catch (IOException | RuntimeException e) {
            return new Outcome(false, e.getClass().getSimpleName());
        }
    }
}
