package org.celltrial.adapter.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Drives the running adapter the way a user does: drops deliveries into its inbox folder, waits until they
 * land in done/ or error/, and talks FHIR over real HTTP.
 */
public final class AdapterHarness {

    public static final Path DEMO = Path.of("src/main/resources/demo-studies");
    private static final FhirContext CTX = FhirContext.forR4Cached();

    private final Path dataDir;
    private final int port;

    public AdapterHarness(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public IGenericClient client() {
        CTX.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        CTX.getRestfulClientFactory().setSocketTimeout(120_000);
        return CTX.newRestfulGenericClient(baseUrl());
    }

    public String baseUrl() {
        return "http://localhost:" + port + "/fhir";
    }

    public Path inbox() {
        return dataDir.resolve("inbox");
    }

    /** Copies a study folder into the inbox under {@code name}, staged and renamed so it appears at once. */
    public void dropFolder(Path source, String name) throws IOException {
        Path staging = inbox().resolve("." + name + ".partial");
        Files.createDirectories(staging);
        try (Stream<Path> s = Files.list(source)) {
            for (Path f : s.toList()) {
                Files.copy(f, staging.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(staging, inbox().resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Zips a study folder (inside a top folder, as people zip) into the inbox as {@code name}.zip. */
    public void dropZip(Path source, String name) throws IOException {
        Path staging = inbox().resolve("." + name + ".zip.partial");
        try (OutputStream out = Files.newOutputStream(staging); ZipOutputStream zip = new ZipOutputStream(out);
             Stream<Path> s = Files.list(source)) {
            for (Path f : s.sorted().toList()) {
                zip.putNextEntry(new ZipEntry(name + "/" + f.getFileName()));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        Files.move(staging, inbox().resolve(name + ".zip"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the delivery has been moved to done/ or error/; returns its report text. */
    public Outcome awaitOutcome(String name, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String area : List.of("done", "error")) {
                Path dir = dataDir.resolve(area);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        String f = p.getFileName().toString();
                        if (f.endsWith("-" + name + ".report.txt") || f.endsWith("-" + name + ".zip.report.txt")) {
                            return new Outcome(area, Files.readString(p));
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        return fail("delivery " + name + " was not processed within " + timeout);
    }

    public record Outcome(String area, String report) {
    }

    /** The AML demo study as a site's zip upload, dated a minute back so that an SFTP source's min-age lets it through. */
    public static void zipAmlDemo(Path zip) throws IOException {
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(zip);
             java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out);
             java.util.stream.Stream<Path> files = java.nio.file.Files.list(DEMO.resolve("nk-aml-haplo"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                z.putNextEntry(new java.util.zip.ZipEntry("nk-aml-haplo/" + f.getFileName()));
                java.nio.file.Files.copy(f, z);
                z.closeEntry();
            }
        }
        java.nio.file.Files.setLastModifiedTime(zip, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
    }
}
