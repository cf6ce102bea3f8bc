package org.celltrial.adapter.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An EHR's rest-hook endpoint on a free loopback port: records every notification it is sent (method, path, body,
 * Authorization header) and answers 200, or 503 while {@link #failing} is set.
 */
final class RestHookReceiver implements AutoCloseable {

    record Received(String method, String path, String body, String authorization, boolean answeredOk) {
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    RestHookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = !failing;
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                    exchange.getRequestHeaders().getFirst("Authorization"), ok));
            exchange.sendResponseHeaders(ok ? 200 : 503, -1);
            exchange.close();
        });
        server.start();
    }

    /** The endpoint base a Subscription names. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ehr/fhir";
    }

    /** Waits until a notification answered 200 satisfies {@code what}; returns it, or fails after {@code timeout}. */
    Received await(Predicate<Received> what, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Received r : received) {
                if (r.answeredOk() && what.test(r)) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such notification within " + timeout + "; received: "
                + received.stream().map(r -> r.method() + " " + r.path() + (r.answeredOk() ? "" : " (failed)")).toList());
    }

    long count(Predicate<Received> what) {
        return received.stream().filter(what).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
