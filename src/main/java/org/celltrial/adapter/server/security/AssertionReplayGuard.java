package org.celltrial.adapter.server.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the {@code jti} of every client assertion until it expires, so that a captured assertion cannot be played
 * again (SMART Backend Services: the server must reject a jti it has seen while the assertion is valid). Bounded: an
 * assertion lives at most a few minutes, and when {@code maxEntries} unexpired ones are held, new ones are refused
 * (fail closed) rather than letting a flood of assertions grow the heap.
 */
final class AssertionReplayGuard {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    AssertionReplayGuard(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    enum Verdict { FIRST_USE, REPLAYED, TOO_MANY }

    /** Records the assertion's first use; later uses of the same client and jti until {@code expiresAt} are replays. */
    Verdict use(String clientId, String jti, Instant expiresAt) {
        Instant now = clock.instant();
        if (seen.size() >= maxEntries) {
            seen.values().removeIf(exp -> exp.isBefore(now));
            if (seen.size() >= maxEntries) {
                return Verdict.TOO_MANY;
            }
        }
        Instant previous = seen.putIfAbsent(clientId + '\u0000' + jti, expiresAt);
        if (previous == null) {
            return Verdict.FIRST_USE;
        }
        if (previous.isBefore(now)) { // expired entry not yet purged: the assertion itself is expired too
            seen.remove(clientId + '\u0000' + jti, previous);
            return use(clientId, jti, expiresAt);
        }
        return Verdict.REPLAYED;
    }

    int size() {
        return seen.size();
    }
}
