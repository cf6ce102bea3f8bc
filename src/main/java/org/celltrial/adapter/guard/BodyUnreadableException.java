package org.celltrial.adapter.guard;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * The request body could not be read (the client went away or sent a broken gzip stream): a 400 in one log line,
 * instead of HAPI's "Could not load request resource" with a stack trace.
 */
public class BodyUnreadableException extends InvalidRequestException {

    public BodyUnreadableException(String what) {
        super("The request body could not be read: " + what);
    }
}
