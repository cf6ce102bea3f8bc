package org.celltrial.adapter.guard;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Error responses written by the guard itself, before HAPI or Spring MVC sees the request. */
final class ErrorBodies {

    private ErrorBodies() {
    }

    /**
     * Writes a FHIR OperationOutcome (for /fhir) or a one-line JSON error (elsewhere).
     *
     * @param issueCode FHIR issue type: too-long, throttled, too-costly, not-supported, ...
     */
    static void write(HttpServletResponse response, boolean fhir, int status, String issueCode, String message,
                      long retryAfterSeconds, boolean closeConnection) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        if (retryAfterSeconds > 0) {
            response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        if (closeConnection) {
            response.setHeader("Connection", "close");
        }
        String body;
        if (fhir) {
            response.setContentType("application/fhir+json;charset=UTF-8");
            body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"" + issueCode
                    + "\",\"diagnostics\":\"" + json(message) + "\"}]}";
        } else {
            response.setContentType("application/json;charset=UTF-8");
            body = "{\"status\":" + status + ",\"error\":\"" + json(message) + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        response.flushBuffer();
    }

    static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
