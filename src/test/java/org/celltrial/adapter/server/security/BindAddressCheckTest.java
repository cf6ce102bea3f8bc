package org.celltrial.adapter.server.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BindAddressCheckTest {

    private static SecurityProperties security(boolean enabled, boolean allowOpen) {
        return new SecurityProperties(enabled, null, null, null, null, List.of(), allowOpen, null);
    }

    @Test
    void withoutSecurityOnlyLoopbackIsAllowed() {
        assertThatCode(() -> new BindAddressCheck(security(false, false), "127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> new BindAddressCheck(security(false, false), "::1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> new BindAddressCheck(security(false, false), "0.0.0.0"))
                .hasMessageContaining("celltrial.security.enabled=true");
        assertThatThrownBy(() -> new BindAddressCheck(security(false, false), "")).as("Spring's default: all interfaces")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withSecurityOrAnExplicitOverrideAnyInterfaceIs() {
        assertThatCode(() -> new BindAddressCheck(security(true, false), "0.0.0.0")).doesNotThrowAnyException();
        assertThatCode(() -> new BindAddressCheck(security(false, true), "0.0.0.0")).doesNotThrowAnyException();
        assertThat(BindAddressCheck.isLoopback("localhost")).isTrue();
    }
}
