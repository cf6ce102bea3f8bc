package org.celltrial.adapter.server.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SmartScopesTest {

    @Test
    void v2ScopesSeparateReadingFromSearching() {
        SmartScopes s = SmartScopes.of(List.of("system/Patient.rs", "system/Observation.s", "system/Procedure.r"));
        assertThat(s.mayRead("Patient")).isTrue();
        assertThat(s.maySearch("Patient")).isTrue();
        assertThat(s.maySearch("Observation")).isTrue();
        assertThat(s.mayRead("Observation")).isFalse();
        assertThat(s.mayRead("Procedure")).isTrue();
        assertThat(s.maySearch("Procedure")).isFalse();
        assertThat(s.mayRead("AdverseEvent")).isFalse();
    }

    @Test
    void wildcardsAndV1ScopesGrantReadingAndSearching() {
        assertThat(SmartScopes.of(List.of("system/*.rs")).mayRead("AdverseEvent")).isTrue();
        SmartScopes v1 = SmartScopes.of(List.of("system/*.read"));
        assertThat(v1.mayRead("Patient")).isTrue();
        assertThat(v1.maySearch("Group")).isTrue();
        assertThat(SmartScopes.of(List.of("system/Patient.*")).maySearch("Patient")).isTrue();
    }

    @Test
    void theAuditTrailNeedsItsOwnScope() {
        assertThat(SmartScopes.of(List.of("system/*.rs")).mayRead("AuditEvent")).isFalse();
        assertThat(SmartScopes.of(List.of("system/*.read")).maySearch("AuditEvent")).isFalse();
        assertThat(SmartScopes.of(List.of("system/AuditEvent.rs")).maySearch("AuditEvent")).isTrue();
        assertThat(SmartScopes.grantable(List.of("system/*.rs"), List.of("Patient", "AuditEvent")))
                .doesNotContain("system/AuditEvent.rs", "system/AuditEvent.r");
    }

    @Test
    void otherScopesGrantNothing() {
        for (String scope : List.of("patient/*.rs", "user/Patient.read", "system/Patient.cud", "system/Patient.write",
                "system/Observation.rs?category=laboratory", "system/celltrial-admin", "openid", "system/patient.rs",
                "system/.rs", "system/Patient.sr", "")) {
            assertThat(SmartScopes.of(List.of(scope)).any()).as(scope).isFalse();
        }
    }

    @Test
    void aRegisteredWildcardCoversTheNarrowerScopesAClientMayAskFor() {
        Set<String> grantable = SmartScopes.grantable(List.of("system/*.rs", "system/celltrial-admin"), List.of("Patient", "Observation"));
        assertThat(grantable).contains("system/*.rs", "system/*.read", "system/Patient.rs", "system/Patient.r",
                "system/Observation.s", "system/Observation.read", "system/celltrial-admin");
        assertThat(grantable).doesNotContain("system/Patient.cruds", "patient/*.rs");
        assertThat(SmartScopes.grantable(List.of("system/Patient.s"), List.of("Patient", "Observation")))
                .containsExactlyInAnyOrder("system/Patient.s");
    }

    @Test
    void subscriptionsAreWrittenWithAScopeNamingThemOnly() {
        SmartScopes v2 = SmartScopes.of(List.of("system/Subscription.cruds"));
        assertThat(v2.mayCreate("Subscription")).isTrue();
        assertThat(v2.mayUpdate("Subscription")).isTrue();
        assertThat(v2.mayDelete("Subscription")).isTrue();
        assertThat(v2.mayRead("Subscription")).isTrue();
        SmartScopes createOnly = SmartScopes.of(List.of("system/Subscription.c"));
        assertThat(createOnly.mayCreate("Subscription")).isTrue();
        assertThat(createOnly.mayDelete("Subscription")).isFalse();
        assertThat(createOnly.any()).isTrue();
        SmartScopes v1 = SmartScopes.of(List.of("system/Subscription.write"));
        assertThat(v1.mayCreate("Subscription")).isTrue();
        assertThat(v1.mayRead("Subscription")).isFalse();
        // a wildcard neither writes nor reads Subscriptions; other types are never written
        SmartScopes wildcard = SmartScopes.of(List.of("system/*.cruds", "system/*.*", "system/Patient.cruds"));
        assertThat(wildcard.writableTypes()).isEmpty();
        assertThat(wildcard.mayRead("Subscription")).isFalse();
        assertThat(SmartScopes.grantable(List.of("system/Subscription.cruds"), List.of("Patient", "Subscription")))
                .contains("system/Subscription.cruds", "system/Subscription.rs", "system/Subscription.c",
                        "system/Subscription.write", "system/Subscription.read");
        assertThat(SmartScopes.grantable(List.of("system/*.rs"), List.of("Patient", "Subscription")))
                .doesNotContain("system/Subscription.rs");
    }
}
