package org.celltrial.adapter.ingest;

/** The database behind the FHIR server cannot be reached: worth retrying the delivery later. */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
