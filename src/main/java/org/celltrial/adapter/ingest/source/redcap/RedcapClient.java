package org.celltrial.adapter.ingest.source.redcap;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * REDCap's API as REDCap documents it: one URL, every call a POST of form fields ({@code token}, {@code content},
 * {@code format}...; arrays as {@code records[0]}, {@code records[1]}). Calls that fail for a passing reason (HTTP 5xx,
 * 429, a timeout or a broken connection) are retried with exponential back-off ({@code Retry-After} honoured for 429);
 * other answers (400, 401, 403: a wrong token, field or right) fail at once. Errors name the status only: REDCap's
 * error texts can quote record ids, and the token is never part of a message or a URL.
 */
final class RedcapClient {

    /** An answer: its body as a stream (the caller closes it) and the server's clock ({@code Date} header). */
    record Answer(InputStream body, Instant serverTime) {
    }

    private final URI url;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    RedcapClient(URI url, String token, Duration timeout, int maxRetries, Duration initialBackoff, Duration maxBackoff) {
        this.url = url;
        this.token = token;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** POSTs the fields (besides the token); a value that is a list becomes {@code name[0]}, {@code name[1]}... */
    Answer call(Map<String, Object> fields, AtomicLong retries) throws IOException, InterruptedException {
        String body = form(fields);
        Duration wait = initialBackoff;
        for (int attempt = 0; ; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json, application/xml")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            String failure;
            Duration retryAfter = null;
            try {
                HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = r.statusCode();
                if (status == 200) {
                    return new Answer(r.body(), serverTime(r));
                }
                r.body().close();
                failure = "REDCap answered HTTP " + status + " to content=" + fields.get("content");
                if (status != 429 && status < 500) {
                    throw new IOException(failure + " (not retried; check the token, the project's API rights and"
                            + " the source's settings)");
                }
                retryAfter = r.headers().firstValue("Retry-After").map(RedcapClient::seconds).orElse(null);
            } catch (java.net.http.HttpTimeoutException e) {
                failure = "no answer from REDCap within " + timeout.toSeconds() + " s";
            } catch (java.net.ConnectException e) {
                failure = "REDCap cannot be reached (" + e.getClass().getSimpleName() + ")";
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("REDCap answered")) {
                    throw e;
                }
                failure = "connection to REDCap broken (" + e.getClass().getSimpleName() + ")";
            }
            if (attempt >= maxRetries) {
                throw new IOException(failure + "; gave up after " + maxRetries + " retries");
            }
            retries.incrementAndGet();
            Duration pause = retryAfter != null ? retryAfter : wait;
            Thread.sleep(Math.min(pause.toMillis(), Duration.ofMinutes(5).toMillis()));
            wait = wait.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : wait.multipliedBy(2);
        }
    }

    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
        } catch (NumberFormatException e) {
            return null; // an HTTP date: use our own back-off
        }
    }

    /** The server's clock from its {@code Date} header (RFC 1123), or null when it sends none. */
    private static Instant serverTime(HttpResponse<?> r) {
        return r.headers().firstValue("Date").map(d -> {
            try {
                return ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException e) {
                return null;
            }
        }).orElse(null);
    }

    private String form(Map<String, Object> fields) {
        StringBuilder b = new StringBuilder("token=").append(enc(token));
        fields.forEach((name, value) -> {
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    b.append('&').append(enc(name + "[" + i + "]")).append('=').append(enc(String.valueOf(list.get(i))));
                }
            } else {
                b.append('&').append(enc(name)).append('=').append(enc(String.valueOf(value)));
            }
        });
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
