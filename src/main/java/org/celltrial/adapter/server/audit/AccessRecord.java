package org.celltrial.adapter.server.audit;

import java.time.Instant;
import java.util.List;

/**
 * One access as the audit trail keeps it, captured on the request's thread (small and immutable) and turned into an
 * AuditEvent by the writer.
 *
 * @param client     the authenticated client's id, or null when the request was refused before it was known
 * @param address    the client's network address
 * @param method     the HTTP method
 * @param request    path and query as requested (stored in the audit trail, never logged)
 * @param interaction the FHIR interaction ("read", "search-type", "$everything", …), "admin-api" or "token"
 * @param status     the HTTP status answered
 * @param patients   the patients whose data the response carried ({@code Patient/id}), at most {@link #MAX_PATIENTS}
 */
public record AccessRecord(Instant time, String client, String address, String method, String request,
                           String interaction, int status, List<String> patients) implements AuditRecord {

    public static final int MAX_PATIENTS = 200;
}
