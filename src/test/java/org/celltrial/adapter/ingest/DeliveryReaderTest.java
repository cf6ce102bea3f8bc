package org.celltrial.adapter.ingest;

import org.celltrial.adapter.ingest.pipeline.Delivery;
import org.celltrial.adapter.ingest.pipeline.DeliveryFile;
import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.LoadedDataset;

import org.celltrial.adapter.it.HostileInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The delivery reader on real hostile files: bounded memory, refused special files and path tricks. */
class DeliveryReaderTest {

    private static final long LIMIT = 512L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aZipBombStopsAtTheLimitWithBoundedMemoryAndLeavesNoSpool() throws Exception {
        Path bomb = HostileInputs.zipBomb(tmp.resolve("bomb.zip"), "dm.csv", HostileInputs.GIB + HostileInputs.GIB / 10);
        assertThat(Files.size(bomb)).as("compressed size").isLessThan(2_000_000);
        Path spool = tmp.resolve("spool");
        DeliveryReader reader = new DeliveryReader(LIMIT, 10_000, spool);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> reader.read(bomb)).isInstanceOf(IOException.class)
                .hasMessageContaining("more than the limit of 536870912 bytes, decompressed");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        System.out.printf("zip bomb: %,d bytes compressed, read up to the limit of %,d bytes with %,d bytes allocated%n",
                Files.size(bomb), LIMIT, allocated);
        assertThat(allocated).as("bytes allocated while decompressing 512 MiB").isLessThan(16L * 1024 * 1024);
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.toList()).as("spool after the failed read").isEmpty();
        }
    }

    @Test
    void aLooseXmlIsADeliveryOfThatOneFileReadWhereItIsAndCountedAgainstTheLimit() throws Exception {
        Path xml = tmp.resolve("export.xml");
        Files.writeString(xml, "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"/>");
        Path spool = tmp.resolve("spool");
        try (Delivery d = new DeliveryReader(LIMIT, 10_000, spool).read(xml)) {
            assertThat(d.name()).isEqualTo("export.xml");
            assertThat(d.files()).extracting(DeliveryFile::name).containsExactly("export.xml");
            assertThat(new String(d.files().get(0).content(), StandardCharsets.UTF_8)).contains("<ODM");
        }
        assertThat(spool).doesNotExist(); // nothing decompressed, nothing spooled
        assertThatThrownBy(() -> new DeliveryReader(10, 10_000, spool).read(xml)).isInstanceOf(IOException.class)
                .hasMessageContaining("more than the limit of 10 bytes");
        // any other loose file is not a delivery of its own (the inbox leaves it alone)
        assertThat(DeliveryReader.isSingleFile("EXPORT.XML")).isTrue();
        assertThat(DeliveryReader.isSingleFile("notes.txt")).isFalse();
    }

    @Test
    void zipEntriesStreamFromTheSpoolAndPathTricksAndNestedZipsAreRefusedByName() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("study/dm.csv", HostileInputs.dm("Z-1", 2).getBytes(StandardCharsets.UTF_8));
        entries.put("../evil.csv", "x".getBytes());
        entries.put("/etc/abs.csv", "x".getBytes());
        entries.put("a/../../up.csv", "x".getBytes());
        entries.put("C:\\win.csv", "x".getBytes());
        entries.put("inner.zip", "PK not expanded".getBytes());
        entries.put("__MACOSX/._dm.csv", "x".getBytes());
        entries.put("study/.hidden.csv", "x".getBytes());
        Path zip = HostileInputs.zip(tmp.resolve("tricks.zip"), entries);
        Path spool = tmp.resolve("spool");

        Delivery d = new DeliveryReader(LIMIT, 10_000, spool).read(zip);
        assertThat(d.files()).extracting(DeliveryFile::name).containsExactly("dm.csv");
        assertThat(new String(d.files().get(0).open().readAllBytes(), StandardCharsets.UTF_8)).startsWith("STUDYID,");
        assertThat(d.refused()).extracting(Delivery.Refused::name)
                .containsExactly("../evil.csv", "/etc/abs.csv", "a/../../up.csv", "C:\\win.csv", "inner.zip");
        assertThat(d.refused().get(4).reason()).contains("not expanded");
        assertThat(tmp.getParent().resolve("evil.csv")).doesNotExist();
        d.close();
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void moreEntriesThanTheLimitFailTheDelivery() throws Exception {
        Path zip = HostileInputs.manyEntries(tmp.resolve("many.zip"), 101);
        assertThatThrownBy(() -> new DeliveryReader(LIMIT, 100, tmp.resolve("spool")).read(zip))
                .hasMessageContaining("more than 100 entries (celltrial.ingest.safety.max-entries)");
        Path folder = Files.createDirectories(tmp.resolve("folder"));
        for (int i = 0; i < 101; i++) {
            Files.writeString(folder.resolve("f" + i + ".txt"), "x");
        }
        assertThatThrownBy(() -> new DeliveryReader(LIMIT, 100, tmp.resolve("spool")).read(folder))
                .hasMessageContaining("more than 100 entries");
    }

    @Test
    void symlinksFifosAndControlCharactersInAFolderAreRefusedOrEscapedNeverOpened() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("delivery"));
        Files.writeString(dir.resolve("dm.csv"), HostileInputs.dm("F-1", 1));
        Files.createSymbolicLink(dir.resolve("ae.csv"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(dir.resolve("sub"), Path.of("/etc"));
        HostileInputs.fifo(dir.resolve("pr.csv"));
        Files.writeString(dir.resolve("notes\nINFO forged.txt"), "x");

        Delivery d = new DeliveryReader(LIMIT, 10_000, tmp.resolve("spool")).read(dir); // would block on the FIFO
        assertThat(d.files()).extracting(DeliveryFile::name).containsExactlyInAnyOrder("dm.csv", "notes\\nINFO forged.txt");
        assertThat(d.refused()).extracting(r -> r.name() + ": " + r.reason()).containsExactlyInAnyOrder(
                "ae.csv: refused, never opened or followed: a symbolic link",
                "sub: refused, never opened or followed: a symbolic link",
                "pr.csv: refused, never opened or followed: a FIFO (named pipe)");
    }

    @Test
    void aCsvIsStreamedWithItsBomAndNonUtf8IsRejectedAsBefore() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("csv"));
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = HostileInputs.dm("B-1", 3).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(dir.resolve("dm.csv"), withBom);
        Files.write(dir.resolve("ae.csv"), "STUDYID,AETERM\nX,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Delivery d = new DeliveryReader(LIMIT, 10_000, tmp.resolve("spool")).read(dir);
        DeliveryFile dm = d.files().stream().filter(f -> f.name().equals("dm.csv")).findFirst().orElseThrow();
        LoadedDataset ds = LoadedDataset.readOne(new CsvDatasetReader(), dm.name(), dm.open());
        assertThat(ds.columns()).first().isEqualTo("STUDYID");
        assertThat(ds.rows()).hasSize(3);
        DeliveryFile ae = d.files().stream().filter(f -> f.name().equals("ae.csv")).findFirst().orElseThrow();
        assertThatThrownBy(() -> LoadedDataset.readOne(new CsvDatasetReader(), ae.name(), ae.open()))
                .hasMessageContaining("ae.csv: not valid UTF-8");
    }
}
