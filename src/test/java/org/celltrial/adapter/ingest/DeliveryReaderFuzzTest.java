package org.celltrial.adapter.ingest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import org.celltrial.adapter.ingest.pipeline.Delivery;
import org.celltrial.adapter.ingest.pipeline.DeliveryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the zip reading of {@link DeliveryReader}. The contract: a zip is read (every kept file is a plain name with
 * exactly its counted size, within the limits, spooled inside the spool folder and deleted with the delivery; names
 * are escaped) or refused with an {@link IOException}; any other exception, a file outside the spool, or a spool file
 * left behind is a bug. Two targets: arbitrary bytes (mutated from the kept zips), and well-formed zips whose entry
 * names and contents are fuzzed (path tricks, control characters, many entries). Regression inputs:
 * {@code src/test/resources/org/celltrial/adapter/ingest/DeliveryReaderFuzzTestInputs/}; {@code src/bench/fuzz.sh} fuzzes.
 */
class DeliveryReaderFuzzTest {

    private static final long MAX_BYTES = 64 * 1024;
    private static final int MAX_ENTRIES = 50;
    private static final Path WORK = workDir();

    private static Path workDir() {
        try {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target").toAbsolutePath(), "fuzz-zip-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Path spool = WORK.resolve("spool");
    private final Path zip = WORK.resolve("inbox/delivery.zip");
    private final DeliveryReader reader = new DeliveryReader(MAX_BYTES, MAX_ENTRIES, spool);

    @FuzzTest(maxDuration = "5m")
    void anyBytesAreReadOrRefusedAndNothingIsLeftInTheSpool(byte[] data) throws IOException {
        check(data);
    }

    @FuzzTest(maxDuration = "5m")
    void fuzzedEntryNamesNeverLeaveTheSpool(FuzzedDataProvider in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            int n = in.consumeInt(0, MAX_ENTRIES + 2);
            for (int i = 0; i < n && in.remainingBytes() > 0; i++) {
                String name = in.consumeString(64);
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    out.putNextEntry(new ZipEntry(name));
                } catch (java.util.zip.ZipException duplicate) {
                    continue;
                }
                out.write(in.consumeBytes(in.consumeInt(0, 4096)));
                out.closeEntry();
            }
        } catch (IllegalArgumentException nameTooLong) {
            return;
        }
        check(bytes.toByteArray());
    }

    private void check(byte[] data) throws IOException {
        Files.createDirectories(zip.getParent());
        Files.write(zip, data);
        Delivery d;
        try {
            d = reader.read(zip);
        } catch (IOException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            assertSpoolEmpty();
            return;
        }
        try (d) {
            assertThat(d.name()).isEqualTo("delivery.zip");
            long total = 0;
            for (DeliveryFile f : d.files()) {
                assertThat(f.name()).doesNotContain("/").doesNotStartWith(".").isNotEmpty();
                assertNoControlCharacters(f.name());
                try (InputStream content = f.open()) {
                    assertThat(content.readAllBytes()).hasSize((int) f.size());
                }
                total += f.size();
            }
            assertThat(total).isLessThanOrEqualTo(MAX_BYTES);
            assertThat(d.files().size() + d.refused().size()).isLessThanOrEqualTo(MAX_ENTRIES);
            for (Delivery.Refused r : d.refused()) {
                assertNoControlCharacters(r.name());
                assertThat(r.reason()).startsWith("refused");
            }
            if (d.spool() != null) {
                assertThat(d.spool().toAbsolutePath().normalize()).startsWith(spool.toAbsolutePath());
            }
        }
        assertSpoolEmpty();
        // nothing was written beside the zip or above it (a zip-slip would land there)
        try (Stream<Path> s = Files.list(zip.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("delivery.zip");
        }
    }

    private void assertSpoolEmpty() throws IOException {
        if (!Files.exists(spool)) {
            return;
        }
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.toList()).as("spool after the delivery was closed").isEmpty();
        }
    }

    private static void assertNoControlCharacters(String name) {
        assertThat(name.chars().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029))
                .as("escaped name %s", name).isTrue();
    }
}
