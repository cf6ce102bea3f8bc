package org.celltrial.adapter.server.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import java.util.ArrayList;
import java.util.List;

/**
 * The FHIR API with security on: what a request may do follows from its token's SMART scopes ({@link SmartScopes}).
 * HAPI's AuthorizationInterceptor applies the read rules to everything a response carries, so a resource type outside
 * the scopes is refused however it would be reached: {@code _include}/{@code _revinclude}, {@code $everything},
 * {@code _history}, batch entries and paging links. On top, a type granted only {@code .s} cannot be read by id and
 * one granted only {@code .r} cannot be searched. Reads only, but for the types a client may write with a scope naming
 * them ({@link SmartScopes#WRITABLE}: Subscription).
 */
public class ScopeAuthorization extends AuthorizationInterceptor {

    public ScopeAuthorization() {
        super(PolicyEnum.DENY);
    }

    static SmartScopes scopesOfCurrentRequest() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        List<String> scopes = new ArrayList<>();
        if (auth != null && auth.isAuthenticated()) {
            for (GrantedAuthority a : auth.getAuthorities()) {
                if (a.getAuthority().startsWith("SCOPE_")) {
                    scopes.add(a.getAuthority().substring("SCOPE_".length()));
                }
            }
        }
        return SmartScopes.of(scopes);
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        SmartScopes scopes = scopesOfCurrentRequest();
        IAuthRuleBuilder rules = new RuleBuilder().allow("metadata").metadata().andThen();
        if (!scopes.any()) {
            return rules.denyAll("the token grants no access to FHIR resources (SMART system/ scopes)").build();
        }
        for (String type : scopes.types()) {
            if (type.equals(SmartScopes.ALL)) {
                rules = rules.allow("read any").read().allResources().withAnyId().andThen();
            } else {
                rules = rules.allow("read " + type).read().resourcesOfType(type).withAnyId().andThen();
            }
        }
        for (String type : scopes.writableTypes()) {
            // a Subscription (security/SmartScopes.WRITABLE); which of c, u, d is checked by server/subscription
            rules = rules.allow("write " + type).write().resourcesOfType(type).withAnyId().andThen()
                    .allow("delete " + type).delete().resourcesOfType(type).withAnyId().andThen();
        }
        return rules
                // what $everything returns is checked against the read rules above, resource by resource
                .allow("everything").operation().named("$everything").onInstancesOfType(Patient.class)
                .andRequireExplicitResponseAuthorization().andThen()
                .allow("everything-type").operation().named("$everything").onType(Patient.class)
                .andRequireExplicitResponseAuthorization().andThen()
                .allow("validate-type").operation().named("$validate").onAnyType().andAllowAllResponses().andThen()
                .allow("validate-instance").operation().named("$validate").onAnyInstance().andAllowAllResponses().andThen()
                .allow("validate-server").operation().named("$validate").onServer().andAllowAllResponses().andThen()
                .allow("batch").transaction().withAnyOperation().andApplyNormalRules().andThen()
                // Bulk Data $export: the exported types and studies are narrowed, and status, files and deletes kept
                // to the client that kicked it off, by BulkExportAccess
                .allow("export").operation().named("$export").onServer().andAllowAllResponses().andThen()
                .allow("export-patient").operation().named("$export").onType(Patient.class).andAllowAllResponses().andThen()
                .allow("export-group").operation().named("$export").onInstancesOfType(org.hl7.fhir.r4.model.Group.class)
                .andAllowAllResponses().andThen()
                .allow("export-job").bulkExport().any().andThen()
                .allow("export-status").operation().named("$export-poll-status").onServer().andAllowAllResponses().andThen()
                .allow("export-files").read().resourcesOfType("Binary").withAnyId().andThen()
                .denyAll("not within the token's scopes")
                .build();
    }

    /**
     * The audit trail is in the Patient compartment (its entities name patients), so $everything and history would
     * carry it to any client with a wildcard scope: it is left out for every client without its own scope.
     */
    @Hook(Pointcut.STORAGE_PREACCESS_RESOURCES)
    public void auditTrailOnlyForAuditors(ca.uhn.fhir.rest.api.server.IPreResourceAccessDetails details, RequestDetails request) {
        if (!(request instanceof ca.uhn.fhir.rest.server.servlet.ServletRequestDetails)) {
            return;
        }
        SmartScopes scopes = null;
        for (int i = 0; i < details.size(); i++) {
            var r = details.getResource(i);
            if (r != null && SmartScopes.EXPLICIT_ONLY.contains(r.fhirType())) {
                scopes = scopes == null ? scopesOfCurrentRequest() : scopes;
                if (!scopes.mayRead(r.fhirType()) && !scopes.maySearch(r.fhirType())) {
                    details.setDontReturnResourceAtIndex(i);
                }
            }
        }
    }

    /** SMART v2 separates reading by id ({@code r}) from searching ({@code s}); HAPI's read rule covers both. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void readOrSearchAsScoped(RequestDetails request, RestOperationTypeEnum operation) {
        String type = request.getResourceName();
        if (type == null) {
            return;
        }
        SmartScopes scopes = scopesOfCurrentRequest();
        if (SmartScopes.EXPLICIT_ONLY.contains(type) && !scopes.mayRead(type) && !scopes.maySearch(type)
                && !scopes.writableTypes().contains(type)) {
            throw new ForbiddenOperationException(type + " needs its own scope (system/" + type + ".rs)");
        }
        boolean byId = operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD;
        boolean search = operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.HISTORY_TYPE
                || operation == RestOperationTypeEnum.HISTORY_INSTANCE;
        if (byId && !scopes.mayRead(type) && scopes.maySearch(type)) {
            throw new ForbiddenOperationException("the token's scopes allow searching " + type + ", not reading it by id");
        }
        if (search && !scopes.maySearch(type) && scopes.mayRead(type)) {
            throw new ForbiddenOperationException("the token's scopes allow reading " + type + " by id, not searching it");
        }
    }
}
