package org.celltrial.adapter.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.springframework.security.core.context.SecurityContextHolder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Bulk Data {@code $export} with security on (HAPI's batch2 export job, served by its BulkDataExportProvider):
 * <ul>
 *   <li>kick-off: every exported type must be within the token's scopes (searchable); without {@code _type} the export
 *       is narrowed to the types the scopes allow. A client restricted to studies gets only their resources: each
 *       type's {@code _typeFilter} gets one more clause {@code _tag=<study system>|<study>,…}, which HAPI's job applies
 *       to every type it exports (for a type with filters of the client's own, added to each of them, since HAPI ORs
 *       the filters of one type);</li>
 *   <li>the job remembers its client (HAPI's binary security context: the NDJSON files, stored as Binary resources,
 *       carry it): downloads by any other client answer 404, as do its status polls and deletes
 *       ({@code server/bulk/BulkExportStatus} asks {@link #ownedByCurrentClient}).</li>
 * </ul>
 * A Group of another study is refused (404) by {@link StudyAccess} before HAPI sees the request.
 */
public class BulkExportAccess {

    /** Identifier system of the client that kicked off an export, in its files' {@code Binary.securityContext}. */
    public static final String CLIENT_SYSTEM = "https://fhir.celltrial.org/sid/bulk-export-client";

    private final StudyAccess studies;

    public BulkExportAccess(StudyAccess studies) {
        this.studies = studies;
    }

    private static String currentClient() {
        return TokenClients.clientId(SecurityContextHolder.getContext().getAuthentication());
    }

    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void narrowExport(BulkExportJobParameters parameters, RequestDetails request) {
        if (!(request instanceof ServletRequestDetails)) {
            return;
        }
        String client = currentClient();
        if (client == null) {
            throw new ForbiddenOperationException("an export needs a client's access token");
        }
        SmartScopes scopes = ScopeAuthorization.scopesOfCurrentRequest();
        boolean typesAsked = request.getParameters().containsKey("_type");
        List<String> types = new ArrayList<>();
        for (String type : parameters.getResourceTypes()) {
            if (scopes.maySearch(type)) {
                types.add(type);
            } else if (typesAsked) {
                throw new ForbiddenOperationException("the token's scopes do not allow exporting " + type);
            }
        }
        if (types.isEmpty()) {
            throw new ForbiddenOperationException("the token's scopes allow exporting none of the requested types");
        }
        parameters.setResourceTypes(types);
        parameters.setFilters(narrowedFilters(types, new ArrayList<>(parameters.getFilters()), studies.grantedStudies()));
        parameters.setBinarySecurityContextIdentifierSystem(CLIENT_SYSTEM);
        parameters.setBinarySecurityContextIdentifierValue(client);
    }

    /**
     * The filters with the study clause: each filter of an exported type gets {@code &_tag=…}, and each exported type
     * without a filter gets {@code Type?_tag=…}; filters of types not exported are dropped. Null grants: unchanged.
     */
    static List<String> narrowedFilters(List<String> types, List<String> filters, Set<String> granted) {
        if (granted == null) {
            return new ArrayList<>(filters); // a copy: HAPI's setter clears its list before adding
        }
        String clause = "_tag=" + URLEncoder.encode(granted.isEmpty() ? StudyTag.SYSTEM + "|-" : String.join(",",
                granted.stream().sorted().map(s -> StudyTag.SYSTEM + "|" + s.replace(",", "\\,")).toList()),
                StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String type : types) {
            boolean filtered = false;
            for (String filter : filters) {
                int q = filter.indexOf('?');
                if (q > 0 && filter.substring(0, q).equals(type)) {
                    filtered = true;
                    out.add(filter + (q == filter.length() - 1 ? "" : "&") + clause);
                }
            }
            if (!filtered) {
                out.add(type + "?" + clause);
            }
        }
        return out;
    }

    /** Whether the current request's client kicked off the export (its status, files and DELETE are its own). */
    public boolean ownedByCurrentClient(BulkExportJobParameters parameters) {
        String owner = parameters.getBinarySecurityContextIdentifierValue();
        return owner != null && owner.equals(currentClient());
    }

    /** An export file (a Binary) reaches only the client that kicked off its export; no other Binary is served. */
    @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
    public void ownFilesOnly(IPreResourceAccessDetails details, RequestDetails request) {
        if (!(request instanceof ServletRequestDetails)) {
            return;
        }
        String client = null;
        for (int i = 0; i < details.size(); i++) {
            IBaseResource r = details.getResource(i);
            if (r instanceof Binary binary) {
                client = client == null ? currentClient() : client;
                var context = binary.getSecurityContext().getIdentifier();
                if (client == null || !CLIENT_SYSTEM.equals(context.getSystem()) || !client.equals(context.getValue())) {
                    details.setDontReturnResourceAtIndex(i);
                }
            }
        }
    }
}
