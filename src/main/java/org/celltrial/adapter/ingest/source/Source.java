package org.celltrial.adapter.ingest.source;

import java.util.Map;

/** A system the adapter pulls from. One pull at a time per source ({@link SourceRunner}). */
public interface Source {

    SourceDefinition definition();

    /** What {@code /api/sources} and {@code source.json} show of the connection: host, path, project; never a secret. */
    Map<String, Object> system();

    /** Pulls what changed since the last pull and hands it to the inbox; returns what it did. */
    PullResult pull(SourceContext context) throws Exception;

    /** The outcome of one pull: {@code delivered} (with the delivery's name), {@code unchanged}; counts. */
    record PullResult(String outcome, String delivery, long fetched, long deleted) {
    }
}
