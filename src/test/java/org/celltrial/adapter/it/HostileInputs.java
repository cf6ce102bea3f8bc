package org.celltrial.adapter.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hostile deliveries, built from the JDK alone (also run by src/bench/hostile-ingest.sh):
 * {@code java -cp target/test-classes org.celltrial.adapter.it.HostileInputs bomb out.zip [bytes]} writes a zip bomb.
 */
public final class HostileInputs {

    public static final long GIB = 1024L * 1024 * 1024;

    private HostileInputs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("bomb")) {
            long bytes = args.length > 2 ? Long.parseLong(args[2]) : GIB + GIB / 10;
            zipBomb(Path.of(args[1]), "dm.csv", bytes);
            System.out.printf("%s: %,d bytes, expands to %,d bytes%n", args[1], Files.size(Path.of(args[1])), bytes);
        } else {
            System.err.println("usage: HostileInputs bomb <out.zip> [decompressed bytes]");
            System.exit(2);
        }
    }

    /**
     * A zip of about 1 MB whose one entry ({@code entryName}, a CSV header followed by zeros) expands to {@code bytes}.
     * Written under a hidden name and renamed, so an inbox never sees it half written.
     */
    public static Path zipBomb(Path out, String entryName, long bytes) throws IOException {
        Path tmp = out.resolveSibling("." + out.getFileName() + ".partial");
        byte[] header = "STUDYID,DOMAIN,USUBJID,SUBJID\n".getBytes(StandardCharsets.US_ASCII);
        byte[] zeros = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(o)) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry(entryName));
            zip.write(header);
            for (long left = bytes - header.length; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
            zip.closeEntry();
        }
        return Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A zip with exactly these entries (names as given: "../x", "/abs", nested zips...), staged and renamed. */
    public static Path zip(Path out, Map<String, byte[]> entries) throws IOException {
        Path tmp = out.resolveSibling("." + out.getFileName() + ".partial");
        try (OutputStream o = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(o)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A zip of {@code n} tiny entries. */
    public static Path manyEntries(Path out, int n) throws IOException {
        Path tmp = out.resolveSibling("." + out.getFileName() + ".partial");
        try (OutputStream o = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(o)) {
            for (int i = 0; i < n; i++) {
                zip.putNextEntry(new ZipEntry("f" + i + ".txt"));
                zip.write('x');
                zip.closeEntry();
            }
        }
        return Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A real FIFO (named pipe), made with mkfifo. */
    public static Path fifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /** A DM dataset of {@code subjects} subjects of study {@code study} that passes mapping and validation. */
    public static String dm(String study, int subjects) {
        StringBuilder sb = new StringBuilder(
                "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,RFENDTC,SITEID,BRTHDTC,AGE,AGEU,SEX,ARMCD,ARM,ACTARMCD,ACTARM\n");
        for (int i = 1; i <= subjects; i++) {
            String subj = String.format("%03d", i);
            sb.append(study).append(",DM,").append(study).append('-').append(subj).append(',').append(subj)
                    .append(",2023-03-01,,01,2015-06,7,YEARS,F,NK,NK cells,NK,NK cells\n");
        }
        return sb.toString();
    }

    /** A folder delivery holding these files, staged under a hidden name in {@code inbox} and renamed into place. */
    public static Path folder(Path inbox, String name, Map<String, String> files) throws IOException {
        Path staging = inbox.resolve(".staging-" + Math.abs(name.hashCode()));
        Files.createDirectories(staging);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(staging.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
        return Files.move(staging, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }
}
