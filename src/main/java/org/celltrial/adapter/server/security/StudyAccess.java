package org.celltrial.adapter.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.celltrial.adapter.mapping.StudyTag;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-study access: a client sees only the resources of the studies it is granted ({@code celltrial.security.clients[]
 * .studies}; {@code *} for all), known by their study tag ({@link StudyTag}). Two hooks:
 * <ul>
 *   <li>every type search is narrowed to the granted studies ({@code _tag}), so that totals and paging count only
 *       what the client may see, chained searches included (their results are the narrowed type);</li>
 *   <li>every resource HAPI is about to return, by whatever path (read, vread, _include/_revinclude, $everything,
 *       history, system search, batch entries), is dropped unless it belongs to a granted study: a read of another
 *       study's resource answers 404, as if it did not exist.</li>
 * </ul>
 * Conformance resources (our profiles, terminology) carry no study and stay visible to every client; any other
 * resource without a study is hidden from clients restricted to studies.
 */
public class StudyAccess {

    private static final Set<String> CONFORMANCE = Set.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap",
            "SearchParameter", "ImplementationGuide", "CapabilityStatement", "OperationDefinition", "NamingSystem");
    /** Types that belong to a client, not a study: server/subscription shows a client its own only. */
    private static final Set<String> CLIENT_OWNED = Set.of("Subscription");

    private final Map<String, Set<String>> studiesByClient = new HashMap<>();
    private final ca.uhn.fhir.jpa.api.dao.DaoRegistry daos;

    public StudyAccess(List<SecurityProperties.Client> clients, ca.uhn.fhir.jpa.api.dao.DaoRegistry daos) {
        this.daos = daos;
        for (SecurityProperties.Client c : clients) {
            studiesByClient.put(c.clientId(), Set.copyOf(c.studies()));
        }
    }

    /** The studies the current request's client is granted; null for all. */
    Set<String> grantedStudies() {
        return grantedStudies(null);
    }

    /**
     * The studies the client of {@code request} (or of the current thread's request) is granted; null for all. HAPI
     * runs a batch's entries on a pool of its own threads, where Spring Security's thread-bound context is empty: there
     * the client is found in the context Spring Security keeps on the HTTP request, which every entry shares.
     */
    Set<String> grantedStudies(RequestDetails request) {
        org.springframework.security.core.Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null && request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails servlet
                && servlet.getServletRequest() != null
                && servlet.getServletRequest().getAttribute(org.springframework.security.web.context
                .RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME)
                instanceof org.springframework.security.core.context.SecurityContext context) {
            auth = context.getAuthentication();
        }
        Set<String> granted = studiesByClient.getOrDefault(TokenClients.clientId(auth), Set.of());
        return granted.contains("*") ? null : granted;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void narrowSearches(RequestDetails request, RestOperationTypeEnum operation) {
        instanceOfGrantedStudy(request, operation);
        if (operation != RestOperationTypeEnum.SEARCH_TYPE || request.getResourceName() == null
                || CONFORMANCE.contains(request.getResourceName()) || CLIENT_OWNED.contains(request.getResourceName())) {
            return;
        }
        Set<String> granted = grantedStudies(request);
        if (granted == null) {
            return;
        }
        // one more AND clause: any of the granted studies (an empty grant matches nothing)
        String clause = granted.isEmpty() ? StudyTag.SYSTEM + "|-" : String.join(",",
                granted.stream().sorted().map(s -> StudyTag.SYSTEM + "|" + s.replace(",", "\\,")).toList());
        Map<String, String[]> parameters = new HashMap<>(request.getParameters());
        String[] existing = parameters.getOrDefault("_tag", new String[0]);
        String[] narrowed = Arrays.copyOf(existing, existing.length + 1);
        narrowed[existing.length] = clause;
        parameters.put("_tag", narrowed);
        request.setParameters(parameters);
    }

    /**
     * The same narrowing where HAPI registers a search, whatever the request's shape: a count ({@code _summary=count},
     * {@code _count=0}) is computed from the parameters HAPI holds here, not from the request's (a client granted one
     * study counted both studies' patients). Searches in process (the ingest's) carry no servlet request and are left
     * alone.
     */
    @Hook(Pointcut.STORAGE_PRESEARCH_REGISTERED)
    public void narrowRegisteredSearch(RequestDetails request, ca.uhn.fhir.rest.server.servlet.ServletRequestDetails servlet,
                                       ca.uhn.fhir.jpa.searchparam.SearchParameterMap map) {
        if (servlet == null || map == null) {
            return;
        }
        String type = request != null ? request.getResourceName() : null;
        if (type != null && (CONFORMANCE.contains(type) || CLIENT_OWNED.contains(type) || type.equals("Binary"))) {
            return;
        }
        Set<String> granted = grantedStudies(servlet);
        if (granted == null) {
            return;
        }
        ca.uhn.fhir.rest.param.TokenOrListParam studies = new ca.uhn.fhir.rest.param.TokenOrListParam();
        if (granted.isEmpty()) {
            studies.addOr(new ca.uhn.fhir.rest.param.TokenParam(StudyTag.SYSTEM, "-"));
        } else {
            granted.stream().sorted().forEach(s -> studies.addOr(new ca.uhn.fhir.rest.param.TokenParam(StudyTag.SYSTEM, s)));
        }
        map.add("_tag", studies);
    }

    /**
     * An operation or history on one resource ({@code Patient/x/$everything}, {@code Patient/x/_history}) of another
     * study answers 404 like a read of it: without this, it would answer 200 with everything filtered out, telling
     * the client the resource exists. Reads themselves are answered 404 by {@link #onlyGrantedStudies}.
     */
    private void instanceOfGrantedStudy(RequestDetails request, RestOperationTypeEnum operation) {
        if (request.getId() == null || !request.getId().hasIdPart() || request.getResourceName() == null
                || operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD
                || CLIENT_OWNED.contains(request.getResourceName())) {
            return;
        }
        Set<String> granted = grantedStudies(request);
        if (granted == null || !daos.isResourceTypeSupported(request.getResourceName())) {
            return;
        }
        IBaseResource target;
        try {
            target = daos.getResourceDao(request.getResourceName())
                    .read(request.getId().toUnqualifiedVersionless(), new ca.uhn.fhir.rest.api.server.SystemRequestDetails(), true);
        } catch (ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return; // HAPI answers as for any missing resource
        }
        String study = StudyTag.of(target);
        if (study == null ? !CONFORMANCE.contains(target.fhirType()) : !granted.contains(study)) {
            throw new ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException(request.getId().toUnqualifiedVersionless());
        }
    }

    @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
    public void onlyGrantedStudies(IPreResourceAccessDetails details, RequestDetails request) {
        if (!(request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails)) {
            return; // in-process work (the ingest reading what it stored), not a client's request
        }
        Set<String> granted = grantedStudies(request);
        if (granted == null) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            IBaseResource r = details.getResource(i);
            if (r == null || CLIENT_OWNED.contains(r.fhirType()) || r.fhirType().equals("Binary")) {
                continue; // Subscriptions: their owner's; Bulk export files: BulkExportAccess serves each to its client
            }
            String study = StudyTag.of(r);
            boolean visible = study == null ? CONFORMANCE.contains(r.fhirType()) : granted.contains(study);
            if (!visible) {
                details.setDontReturnResourceAtIndex(i);
            }
        }
    }
}
