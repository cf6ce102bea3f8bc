package org.celltrial.adapter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged adapter (target/celltrial-fhir-adapter-*.jar) run as a separate operating-system process, as in
 * production: started with {@code java -jar}, ready once its readiness probe answers, and stopped either
 * gracefully (SIGTERM) or by {@link #kill()} (SIGKILL: no shutdown hooks, no flushing, like a power cut).
 */
public final class AdapterProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> command;
    private final Path log;
    private final int port;
    private Process process;

    /**
     * @param jvmArgs extra JVM options (heap, JFR...)
     * @param appArgs application arguments ({@code --name=value}); {@code --server.port} is added
     * @param log     file the process output is appended to
     */
    public AdapterProcess(Path jar, int port, List<String> jvmArgs, List<String> appArgs, Path log) {
        this.port = port;
        this.log = log;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.add("--server.port=" + port);
        cmd.addAll(appArgs);
        this.command = List.copyOf(cmd);
    }

    /**
     * The packaged application jar, or the one named by {@code -Dbench.jar} (e.g. bin/start's target/fast-start/app.jar);
     * fails with a clear message when the project has not been packaged.
     */
    public static Path jar() {
        String named = System.getProperty("bench.jar", "");
        if (!named.isBlank()) {
            return Path.of(named);
        }
        Path target = Path.of("target");
        try (Stream<Path> s = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            return s.filter(p -> p.getFileName().toString().matches("celltrial-fhir-adapter-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No target/celltrial-fhir-adapter-*.jar: this test runs the "
                            + "packaged application. Run './mvnw -DskipTests package' first (./mvnw verify packages before "
                            + "the integration tests run)."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public AdapterProcess start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, "\n==== start " + java.time.Instant.now() + ": " + String.join(" ", command) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Process p = process;
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return this;
    }

    /** Waits until the application reports itself ready (Spring readiness: start-up runners done). */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the application exited with code " + process.exitValue() + " while starting; see " + log);
            }
            if (ready()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the application was not ready within " + timeout + "; see " + log);
    }

    public boolean ready() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL (Process.destroyForcibly on Linux): the JVM gets no chance to run shutdown hooks or finish anything. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /** Graceful stop (SIGTERM), SIGKILL if it takes longer than a minute. */
    public void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Exit code of the ended process. */
    public int exitValue() {
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String fhirBase() {
        return "http://localhost:" + port + "/fhir";
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
