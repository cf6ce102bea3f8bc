package org.celltrial.adapter.server.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class AssertionReplayGuardTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };

    @Test
    void aJtiIsUsableOncePerClientWhileItsAssertionIsValid() {
        AssertionReplayGuard guard = new AssertionReplayGuard(10, clock);
        Instant exp = now.get().plusSeconds(300);
        assertThat(guard.use("a", "j1", exp)).isEqualTo(AssertionReplayGuard.Verdict.FIRST_USE);
        assertThat(guard.use("a", "j1", exp)).isEqualTo(AssertionReplayGuard.Verdict.REPLAYED);
        assertThat(guard.use("b", "j1", exp)).as("another client's jti").isEqualTo(AssertionReplayGuard.Verdict.FIRST_USE);
    }

    @Test
    void memoryIsBoundedAndFreedAsAssertionsExpire() {
        AssertionReplayGuard guard = new AssertionReplayGuard(3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(guard.use("a", "j" + i, now.get().plusSeconds(60))).isEqualTo(AssertionReplayGuard.Verdict.FIRST_USE);
        }
        assertThat(guard.use("a", "j3", now.get().plusSeconds(60))).as("full: fail closed").isEqualTo(AssertionReplayGuard.Verdict.TOO_MANY);
        now.set(now.get().plusSeconds(61));
        assertThat(guard.use("a", "j3", now.get().plusSeconds(60))).isEqualTo(AssertionReplayGuard.Verdict.FIRST_USE);
        assertThat(guard.size()).isEqualTo(1);
    }
}
