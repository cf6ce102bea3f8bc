package org.celltrial.adapter.ingest;

import org.celltrial.adapter.ingest.pipeline.Abandonment;
import org.celltrial.adapter.ingest.pipeline.Delivery;
import org.celltrial.adapter.ingest.pipeline.DeliveryFile;
import org.celltrial.adapter.ingest.pipeline.LogSafe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a delivery (a folder, or a zip, of dataset files, or one {@code .xml} file) without holding any file in memory: a folder's files are
 * read where they are, a zip's entries are decompressed as a stream into a spool folder (temporary files named by
 * number, never by the entry's name). Every decompressed byte is counted while it streams, so the size limit fires
 * whatever a zip's headers claim (a zip bomb stops at the limit, on disk, with a buffer of 64 KiB in memory).
 *
 * <p>Refused by name, never opened or followed: symbolic links, FIFOs, devices and sockets inside a folder; zip entries
 * whose path is absolute or climbs out with {@code ..}; zips inside the delivery (not expanded). At most
 * {@code maxEntries} entries (zip) or files (folder); more fails the delivery. Hidden files (".name") and
 * {@code __MACOSX/} are skipped; folder structure inside the delivery is ignored. Names are escaped ({@link LogSafe}).
 */
public final class DeliveryReader {

    /** Archive types that are never expanded when found inside a delivery. */
    private static final Pattern ARCHIVE = Pattern.compile(".*\\.(zip|jar|gz|tgz|tar|7z|rar|bz2|xz|zst)$");

    /** Longest file name of a zip entry (file systems allow 255 bytes). */
    static final int MAX_NAME_CHARS = 255;

    private final long maxBytes;
    private final int maxEntries;
    private final Path spoolRoot;

    public DeliveryReader(long maxBytes) {
        this(maxBytes, 10_000, Path.of(System.getProperty("java.io.tmpdir"), "celltrial-spool"));
    }

    /**
     * @param maxBytes   most bytes a delivery may hold, decompressed ({@code celltrial.ingest.max-delivery-bytes})
     * @param maxEntries most entries of a zip or files of a folder ({@code celltrial.ingest.safety.max-entries})
     * @param spoolRoot  folder for the spooled zip entries, one subfolder per delivery
     */
    public DeliveryReader(long maxBytes, int maxEntries, Path spoolRoot) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.spoolRoot = spoolRoot;
    }

    public Delivery read(Path path) throws IOException {
        String name = LogSafe.escape(path.getFileName().toString());
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isDirectory()) {
            List<Delivery.Refused> refused = new ArrayList<>();
            return new Delivery(name, readFolder(path, refused), refused, null);
        }
        if (!attrs.isRegularFile()) {
            throw new IOException(FileTypes.describe(path, attrs) + ": refused, never opened");
        }
        if (isSingleFile(name)) {
            // an EDC's ODM export dropped as it was downloaded: a delivery of that one file, read where it is
            checkSize(attrs.size());
            return new Delivery(name, List.of(DeliveryFile.onDisk(name, path, attrs.size())), List.of(), null);
        }
        Path spool = spoolRoot.resolve(UUID.randomUUID().toString());
        Files.createDirectories(spool);
        List<Delivery.Refused> refused = new ArrayList<>();
        try {
            return new Delivery(name, readZip(path, spool, refused), refused, spool);
        } catch (IOException | RuntimeException | Error e) {
            new Delivery(name, List.of(), List.of(), spool).close();
            throw e;
        }
    }

    /**
     * Whether a file in the inbox is a delivery of its own rather than a zip: {@code .xml} (CDISC ODM exports; what is
     * in it is decided by the read stage). Other loose files are not deliveries ({@link Inbox} leaves them alone).
     */
    public static boolean isSingleFile(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".xml");
    }

    private List<DeliveryFile> readFolder(Path dir, List<Delivery.Refused> refused) throws IOException {
        java.util.Map<Path, Long> regular = new java.util.TreeMap<>();
        long[] total = {0};
        int[] entries = {0};
        // no FOLLOW_LINKS: attributes are those of the entry itself (lstat), a link is never followed
        Files.walkFileTree(dir, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                countEntry(++entries[0]);
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(".")) {
                    return FileVisitResult.CONTINUE;
                }
                if (!attrs.isRegularFile()) {
                    refused.add(new Delivery.Refused(relativeName(dir, file), "refused, never opened or followed: " + FileTypes.describe(file, attrs)));
                } else if (ARCHIVE.matcher(fileName.toLowerCase(Locale.ROOT)).matches()) {
                    refused.add(new Delivery.Refused(relativeName(dir, file), nestedArchive()));
                } else {
                    total[0] += attrs.size();
                    checkSize(total[0]);
                    regular.put(file, attrs.size()); // the size counted is the size read (DeliveryFile refuses more)
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                refused.add(new Delivery.Refused(relativeName(dir, file), "could not be read: " + e.getClass().getSimpleName()));
                return FileVisitResult.CONTINUE;
            }
        });
        List<DeliveryFile> files = new ArrayList<>(regular.size());
        regular.forEach((p, size) -> files.add(DeliveryFile.onDisk(LogSafe.escape(p.getFileName().toString()), p, size)));
        return files;
    }

    private List<DeliveryFile> readZip(Path zip, Path spool, List<Delivery.Refused> refused) throws IOException {
        List<DeliveryFile> files = new ArrayList<>();
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(zip, LinkOption.NOFOLLOW_LINKS);
             ZipInputStream zin = new ZipInputStream(new BufferedInputStream(in, 64 * 1024))) {
            ZipEntry entry;
            while ((entry = nextEntry(zin, entries + 1)) != null) {
                countEntry(++entries);
                String entryName = entry.getName().replace('\\', '/');
                String fileName = entryName.substring(entryName.lastIndexOf('/') + 1);
                String reason = null;
                boolean keep = false;
                if (unsafePath(entryName)) {
                    reason = "refused: the path is absolute or leaves the delivery with '..'";
                } else if (entry.isDirectory() || fileName.isEmpty() || fileName.startsWith(".")
                        || entryName.startsWith("__MACOSX/")) {
                    // skipped quietly (read through below, its bytes counted)
                } else if (ARCHIVE.matcher(fileName.toLowerCase(Locale.ROOT)).matches()) {
                    reason = nestedArchive();
                } else if (fileName.length() > MAX_NAME_CHARS) {
                    // no file system has such names; a 60,000-character one failed the delivery in the message store
                    reason = "refused: the file name is longer than " + MAX_NAME_CHARS + " characters";
                } else {
                    keep = true;
                }
                if (reason != null) {
                    refused.add(new Delivery.Refused(LogSafe.escape(entry.getName(), 2 * MAX_NAME_CHARS), reason));
                }
                // every entry is read to its end through the counter, kept or not: skipped bytes count too
                Path target = keep ? spool.resolve(String.format(Locale.ROOT, "%06d", entries)) : null;
                long size = 0;
                try (OutputStream out = target == null ? OutputStream.nullOutputStream()
                        : Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = zin.read(buffer)) > 0) {
                        total += n;
                        size += n;
                        checkSize(total);
                        Abandonment.checkCurrent();
                        out.write(buffer, 0, n);
                    }
                }
                if (keep) {
                    files.add(DeliveryFile.onDisk(LogSafe.escape(fileName), target, size));
                }
            }
        } catch (java.io.EOFException e) {
            // ZipInputStream says only "EOFException: null" (found by the bad-input corpus)
            throw new IOException("the zip cannot be read: it ends inside entry " + entries + " (truncated?)");
        }
        return files;
    }

    /**
     * The next entry; a name that is not UTF-8 makes ZipInputStream throw IllegalArgumentException ("malformed input"),
     * which would fail the delivery with a Java message: it is an unreadable zip, said so (found by DeliveryReaderFuzzTest).
     */
    private static ZipEntry nextEntry(ZipInputStream zin, int number) throws IOException {
        try {
            return zin.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new IOException("the zip cannot be read: the name of entry " + number + " is not valid UTF-8");
        }
    }

    /** Absolute ({@code /x}, {@code C:/x}, {@code //host}) or climbing out ({@code ../x}, {@code a/../../x}). */
    static boolean unsafePath(String entryName) {
        String n = entryName.replace('\\', '/');
        if (n.startsWith("/") || n.matches("^[A-Za-z]:.*") || n.indexOf('\0') >= 0) {
            return true;
        }
        for (String segment : n.split("/")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String nestedArchive() {
        return "refused: an archive inside the delivery is not expanded (put its files into the delivery itself)";
    }

    private static String relativeName(Path dir, Path file) {
        return LogSafe.escape(dir.relativize(file).toString());
    }

    private void countEntry(int entries) throws IOException {
        if (entries > maxEntries) {
            throw new IOException("the delivery has more than " + maxEntries
                    + " entries (celltrial.ingest.safety.max-entries)");
        }
    }

    private void checkSize(long total) throws IOException {
        if (total > maxBytes) {
            throw new IOException("the delivery holds more than the limit of " + maxBytes
                    + " bytes, decompressed (celltrial.ingest.max-delivery-bytes)");
        }
    }
}
