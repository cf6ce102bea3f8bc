package org.celltrial.adapter.guard;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;

/** Thrown while a request body is read, once it passes the limit: HAPI answers it as a 413 OperationOutcome. */
public class BodyTooLargeException extends PayloadTooLargeException {

    public BodyTooLargeException(long limit, boolean decoded) {
        super(message(limit, decoded));
    }

    static String message(long limit, boolean decoded) {
        return "Request body larger than " + human(limit) + (decoded ? " after gzip decoding" : "")
                + " (celltrial.limits.max-request-body)";
    }

    static String human(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
