package org.celltrial.adapter.ingest.read;

/**
 * A dataset file that cannot be read: the message names the file (and the row or byte offset where it broke) and
 * the reason, and never carries a record value.
 */
public class UnreadableDatasetException extends Exception {

    public UnreadableDatasetException(String message) {
        super(message);
    }

    public UnreadableDatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
