package org.celltrial.adapter.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a delivery (a folder, or a zip, of dataset files) into memory. Zip entries are never written
 * to disk, so entry names cannot escape the work area; total size is capped against zip bombs.
 * Hidden files (".name") and folder structure inside the delivery are ignored.
 */
public final class DeliveryReader {

    private final long maxBytes;

    public DeliveryReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Delivery read(Path path) throws IOException {
        String name = path.getFileName().toString();
        return Files.isDirectory(path) ? new Delivery(name, readFolder(path)) : new Delivery(name, readZip(path));
    }

    private List<DeliveryFile> readFolder(Path dir) throws IOException {
        List<DeliveryFile> files = new ArrayList<>();
        long total = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String fileName = p.getFileName().toString();
                if (fileName.startsWith(".")) {
                    continue;
                }
                total += Files.size(p);
                checkSize(total);
                files.add(new DeliveryFile(fileName, Files.readAllBytes(p)));
            }
        }
        return files;
    }

    private List<DeliveryFile> readZip(Path zip) throws IOException {
        List<DeliveryFile> files = new ArrayList<>();
        long total = 0;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream zin = new ZipInputStream(in)) {
            ZipEntry entry;
            byte[] buffer = new byte[64 * 1024];
            while ((entry = zin.getNextEntry()) != null) {
                if (entry.isDirectory()) {
                    continue;
                }
                String entryName = entry.getName().replace('\\', '/');
                String fileName = entryName.substring(entryName.lastIndexOf('/') + 1);
                if (fileName.isEmpty() || fileName.startsWith(".") || entryName.startsWith("__MACOSX/")) {
                    continue;
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                int n;
                while ((n = zin.read(buffer)) > 0) {
                    total += n;
                    checkSize(total);
                    out.write(buffer, 0, n);
                }
                files.add(new DeliveryFile(fileName, out.toByteArray()));
            }
        }
        return files;
    }

    private void checkSize(long total) throws IOException {
        if (total > maxBytes) {
            throw new IOException("delivery is larger than the limit of " + maxBytes
                    + " bytes (celltrial.ingest.max-delivery-bytes)");
        }
    }
}
