package org.celltrial.adapter.guard;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-client (remote address) limits: requests in progress at once, and a token bucket for the request rate
 * (sustained {@code ratePerSecond}, bursts up to {@code burst}). {@link #acquire} answers at once, it never waits.
 */
final class ClientLimiter {

    /** Outcome of {@link #acquire}: a permit to release, or a refusal with the seconds to wait. */
    record Verdict(Client permit, String refusal, long retryAfterSeconds) {
        boolean allowed() {
            return permit != null;
        }
    }

    private static final int SWEEP_AT = 10_000;
    private static final long IDLE_NANOS = 120_000_000_000L;

    private final ConcurrentHashMap<String, Client> clients = new ConcurrentHashMap<>();
    private final int maxConcurrent;
    private final double ratePerSecond;
    private final int burst;
    private final LongSupplier nanoTime;

    ClientLimiter(int maxConcurrent, double ratePerSecond, int burst) {
        this(maxConcurrent, ratePerSecond, burst, System::nanoTime);
    }

    ClientLimiter(int maxConcurrent, double ratePerSecond, int burst, LongSupplier nanoTime) {
        this.maxConcurrent = maxConcurrent;
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    Verdict acquire(String address) {
        long now = nanoTime.getAsLong();
        if (clients.size() >= SWEEP_AT) {
            sweep(now);
        }
        Client c = clients.computeIfAbsent(address, a -> new Client(burst, now));
        synchronized (c) {
            c.lastSeen = now;
            c.tokens = Math.min(burst, c.tokens + (now - c.refilled) / 1e9 * ratePerSecond);
            c.refilled = now;
            if (c.tokens < 1) {
                long wait = (long) Math.ceil((1 - c.tokens) / ratePerSecond);
                return new Verdict(null, "more than " + fmt(ratePerSecond) + " requests per second from this client",
                        Math.max(1, wait));
            }
            if (c.inFlight >= maxConcurrent) {
                return new Verdict(null, "more than " + maxConcurrent + " requests in progress at once from this client", 1);
            }
            c.tokens -= 1;
            c.inFlight++;
            return new Verdict(c, null, 0);
        }
    }

    int tracked() {
        return clients.size();
    }

    private void sweep(long now) {
        clients.entrySet().removeIf(e -> {
            Client c = e.getValue();
            synchronized (c) {
                return c.inFlight == 0 && now - c.lastSeen > IDLE_NANOS;
            }
        });
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static final class Client {
        private int inFlight;
        private double tokens;
        private long refilled;
        private long lastSeen;

        Client(double tokens, long now) {
            this.tokens = tokens;
            this.refilled = now;
            this.lastSeen = now;
        }

        void release() {
            synchronized (this) {
                inFlight--;
            }
        }
    }
}
