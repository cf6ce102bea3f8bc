package org.celltrial.adapter.guard;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ClientLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstAboveTheRateIsRefusedWithTheSecondsToWait() {
        ClientLimiter limiter = new ClientLimiter(100, 2, 5, now::get);
        for (int i = 0; i < 5; i++) {
            ClientLimiter.Verdict v = limiter.acquire("10.0.0.1");
            assertThat(v.allowed()).isTrue();
            v.permit().release();
        }
        ClientLimiter.Verdict refused = limiter.acquire("10.0.0.1");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.refusal()).contains("more than 2 requests per second");
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        // another client is not affected
        assertThat(limiter.acquire("10.0.0.2").allowed()).isTrue();
        // half a second later one token is back
        now.addAndGet(500_000_000L);
        assertThat(limiter.acquire("10.0.0.1").allowed()).isTrue();
        assertThat(limiter.acquire("10.0.0.1").allowed()).isFalse();
    }

    @Test
    void requestsInProgressAreLimitedPerClient() {
        ClientLimiter limiter = new ClientLimiter(2, 1000, 1000, now::get);
        ClientLimiter.Verdict a = limiter.acquire("c");
        ClientLimiter.Verdict b = limiter.acquire("c");
        ClientLimiter.Verdict c = limiter.acquire("c");
        assertThat(a.allowed()).isTrue();
        assertThat(b.allowed()).isTrue();
        assertThat(c.allowed()).isFalse();
        assertThat(c.refusal()).contains("more than 2 requests in progress");
        a.permit().release();
        assertThat(limiter.acquire("c").allowed()).isTrue();
    }

    @Test
    void idleClientsAreForgotten() {
        ClientLimiter limiter = new ClientLimiter(2, 10, 10, now::get);
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("10.1." + (i / 256) + "." + (i % 256)).permit().release();
        }
        now.addAndGet(300_000_000_000L);
        limiter.acquire("10.9.9.9");
        assertThat(limiter.tracked()).isEqualTo(1);
    }
}
