package org.celltrial.adapter.ingest;

import org.celltrial.adapter.ingest.pipeline.IngestReport;
import org.celltrial.adapter.ingest.pipeline.LogSafe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The file-drop areas: {@code inbox} (deliveries arrive: a folder per study, a .zip, or an ODM export .xml), {@code work}
 * (claimed, being processed), {@code done} and {@code error} (processed, with a report beside each).
 * A delivery is claimed by an atomic rename once nothing in it has changed for the quiet period, so a
 * half-copied folder is never read, and every delivery is processed once. Deliveries are claimed one at a time,
 * just before they are processed, so the others wait in the inbox, never in the work area.
 *
 * <p>Hostile entries: the type of every inbox entry is read without following links and before anything opens it; a
 * symbolic link, FIFO, device or socket is moved to error/ with a report naming it, never opened or followed. Each
 * claim counts an attempt in a small marker file in the work area ({@code .attempts-<hash>}), deleted when the delivery
 * gets its report; a delivery still in the work area at start-up was interrupted (crash, kill, stop) and goes back to
 * the inbox, unless {@code maxAttempts} attempts did not finish: then it is quarantined in error/ and never retried.
 */
public class Inbox {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    private static final String MARKER_PREFIX = ".attempts-";
    private static final int MAX_NAME_BYTES = 255;

    private final IngestProperties props;
    private final IngestSafetyProperties safety;

    /** With the default safety settings; zip entries spool beside the inbox ({@code <inbox>/../tmp/spool}). */
    public Inbox(IngestProperties props) throws IOException {
        this(props, new IngestSafetyProperties(0, 0, null, null, null, null,
                props.inbox().toAbsolutePath().getParent().resolve("tmp").resolve("spool")));
    }

    public Inbox(IngestProperties props, IngestSafetyProperties safety) throws IOException {
        this.props = props;
        this.safety = safety;
        for (Path p : List.of(props.inbox(), props.work(), props.done(), props.error())) {
            Files.createDirectories(p);
        }
    }

    /**
     * At start-up: deliveries interrupted by a stop or crash go back to the inbox to be processed again, those whose
     * attempts reached the limit are quarantined in error/; leftover spooled zip entries are deleted.
     */
    public void recoverInterrupted() throws IOException {
        Set<String> pending = new HashSet<>();
        try (Stream<Path> s = Files.list(props.work())) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                int attempts = attempts(name);
                if (attempts >= safety.maxAttempts()) {
                    quarantine(p, attempts + " attempts to ingest this delivery did not finish: each time the application"
                            + " stopped while ingesting it (a crash, out of memory, a kill or a restart). It is not"
                            + " retried again (celltrial.ingest.safety.max-attempts = " + safety.maxAttempts() + ").");
                    log.warn("Quarantined delivery {} in error/ after {} unfinished attempts", LogSafe.escape(name), attempts);
                    continue;
                }
                Path back = props.inbox().resolve(name);
                if (!Files.exists(back, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(p, back, StandardCopyOption.ATOMIC_MOVE);
                    pending.add(name);
                    log.info("Re-queued interrupted delivery {} (attempt {} of {} did not finish)", LogSafe.escape(name),
                            attempts, safety.maxAttempts());
                } else {
                    pending.add(name); // a newer delivery of the same name waits in the inbox: this one stays here
                    log.warn("Interrupted delivery {} stays in {}: the inbox holds a delivery of the same name",
                            LogSafe.escape(name), props.work());
                }
            }
        }
        // attempt markers of deliveries that are gone (taken out of the inbox by hand) would count against a new one
        try (Stream<Path> s = Files.list(props.inbox())) {
            s.forEach(p -> pending.add(p.getFileName().toString()));
        }
        Set<Path> keep = new HashSet<>();
        pending.forEach(n -> keep.add(marker(n)));
        try (Stream<Path> s = Files.list(props.work())) {
            for (Path m : s.filter(p -> p.getFileName().toString().startsWith(MARKER_PREFIX)).toList()) {
                if (!keep.contains(m)) {
                    Files.deleteIfExists(m);
                }
            }
        }
        deleteTree(safety.spool());
    }

    /**
     * The deliveries ready to be claimed, in name order, without claiming them. Refuses (moves to error/ with a report)
     * inbox entries that are not a folder or a regular file: symbolic links, FIFOs, devices, sockets. Loose files
     * other than .zip and .xml (an ODM export) and hidden entries are left alone. One entry that cannot be read does not stop the others.
     */
    public List<Path> readyDeliveries() throws IOException {
        List<Path> ready = new ArrayList<>();
        long now = System.currentTimeMillis();
        List<Path> entries;
        try (Stream<Path> s = Files.list(props.inbox())) {
            entries = s.sorted().toList();
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            try {
                if (name.startsWith(".")) {
                    continue;
                }
                BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean deliveryName = name.toLowerCase(Locale.ROOT).endsWith(".zip") || DeliveryReader.isSingleFile(name);
                if (attrs.isRegularFile() && !deliveryName) {
                    continue; // loose files stay where they are (but a .zip, or an .xml export, is a delivery)
                }
                if (now - attrs.lastModifiedTime().toMillis() < props.quietPeriodMs()) {
                    continue;
                }
                if (attrs.isSymbolicLink() || attrs.isOther()) {
                    String what = FileTypes.describe(p, attrs);
                    refuse(p, what + " in the inbox: refused, never " + (attrs.isSymbolicLink() ? "followed" : "opened")
                            + ". Deliver a folder or a .zip file.");
                    log.warn("Refused inbox entry {}: {}", LogSafe.escape(name), what);
                    continue;
                }
                if (attrs.isDirectory() && now - lastModified(p) < props.quietPeriodMs()) {
                    continue;
                }
                ready.add(p);
            } catch (NoSuchFileException e) {
                // taken away meanwhile
            } catch (IOException | RuntimeException e) {
                log.warn("Inbox entry {} skipped: {}", LogSafe.escape(name), e.getClass().getSimpleName());
            }
        }
        return ready;
    }

    /**
     * Claims one delivery found by {@link #readyDeliveries()}: checks its type again without following links, moves
     * it into the work area and counts the attempt. Returns its new path, or {@code null} if it is gone or changed.
     */
    public Path claim(Path delivery) {
        String name = delivery.getFileName().toString();
        try {
            BasicFileAttributes attrs = Files.readAttributes(delivery, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!(attrs.isDirectory() || attrs.isRegularFile())) {
                return null; // refused at the next poll
            }
            Path target = props.work().resolve(name);
            Files.move(delivery, target, StandardCopyOption.ATOMIC_MOVE);
            try {
                writeAttempts(name, attempts(name) + 1);
            } catch (IOException | RuntimeException e) {
                Files.move(target, delivery, StandardCopyOption.ATOMIC_MOVE); // not counted: not processed
                throw e;
            }
            return target;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            log.warn("Could not claim delivery {}: {}", LogSafe.escape(name), e.getClass().getSimpleName());
            return null;
        }
    }

    /** Takes back the attempt counted for a delivery whose attempt was stopped with the application (a clean stop). */
    public void uncountAttempt(Path delivery) {
        String name = delivery.getFileName().toString();
        try {
            int n = attempts(name);
            if (n <= 1) {
                Files.deleteIfExists(marker(name));
            } else {
                writeAttempts(name, n - 1);
            }
        } catch (IOException e) {
            log.warn("Could not update the attempt count of {}: {}", LogSafe.escape(name), e.getClass().getSimpleName());
        }
    }

    /** How many attempts of the delivery of that name were counted and did not finish. */
    public int attempts(String deliveryName) {
        Path m = marker(deliveryName);
        try {
            for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
                if (line.startsWith("attempts=")) {
                    return Integer.parseInt(line.substring("attempts=".length()).trim());
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | RuntimeException e) {
            log.warn("Unreadable attempt marker {}: counted as one attempt", m.getFileName());
            return 1;
        }
        return 0;
    }

    /** Moves a processed delivery to done (no problems) or error, with its report beside it. */
    public Path finish(Path delivery, IngestReport report) throws IOException {
        return moveWithReport(delivery, report.hasProblems() ? props.error() : props.done(), report.render());
    }

    public Path fail(Path delivery, String reason) throws IOException {
        String text = "Delivery: " + LogSafe.escape(delivery.getFileName().toString())
                + "\nOutcome: FAILED - nothing of it was stored\nReason: " + LogSafe.escape(reason, 4000)
                + "\n\nFix the cause and drop the delivery into the inbox again.\n";
        return moveWithReport(delivery, props.error(), text);
    }

    /** Moves a delivery that crashed, hung or outlasted its time budget to error/, with the reason; it is not retried. */
    public Path quarantine(Path delivery, String reason) throws IOException {
        String text = "Delivery: " + LogSafe.escape(delivery.getFileName().toString())
                + "\nOutcome: QUARANTINED - not processed again\nReason: " + LogSafe.escape(reason, 4000)
                + "\n\nRecords its attempts stored stay stored (each subject completely or not at all); the delivery"
                + "\nreport of those attempts is incomplete. Check the delivery (size, structure), split it if it is very"
                + "\nlarge, and drop it into the inbox again: re-delivery is safe, stored records are not duplicated.\n";
        return moveWithReport(delivery, props.error(), text);
    }

    /** Moves a refused inbox entry (a link, FIFO, device or socket) to error/ without opening it. */
    private Path refuse(Path entry, String reason) throws IOException {
        String text = "Delivery: " + LogSafe.escape(entry.getFileName().toString())
                + "\nOutcome: REFUSED - nothing of it was read\nReason: " + LogSafe.escape(reason) + "\n";
        return moveWithReport(entry, props.error(), text);
    }

    private Path moveWithReport(Path delivery, Path area, String report) throws IOException {
        String name = fitName(LocalDateTime.now().format(STAMP) + "-", delivery.getFileName().toString(), ".report.txt");
        Path target = area.resolve(name);
        // the report is written first under a hidden name and renamed into place after the move: whoever watches
        // done/ and error/ never reads a report half written, and a crash between the two steps leaves its text
        Path partial = area.resolve("." + name + ".report.txt.partial");
        Files.createDirectories(area);
        Files.writeString(partial, report, StandardCharsets.UTF_8);
        moveAcrossFileSystems(delivery, target);
        Files.move(partial, area.resolve(name + ".report.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(marker(delivery.getFileName().toString()));
        return target;
    }

    /** prefix + name, the name cut so that the longest file made from it (with suffix) fits a file name (255 bytes). */
    private static String fitName(String prefix, String name, String suffix) {
        String full = prefix + name;
        if ((full + suffix).getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return full;
        }
        StringBuilder sb = new StringBuilder(prefix);
        int budget = MAX_NAME_BYTES - suffix.length() - prefix.length() - 1;
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            sb.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return sb.append('~').toString();
    }

    private Path marker(String deliveryName) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(deliveryName.getBytes(StandardCharsets.UTF_8));
            return props.work().resolve(MARKER_PREFIX + java.util.HexFormat.of().formatHex(hash, 0, 12));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeAttempts(String deliveryName, int attempts) throws IOException {
        Path m = marker(deliveryName);
        Path tmp = m.resolveSibling(m.getFileName() + ".tmp");
        byte[] content = ("attempts=" + attempts + "\nname=" + LogSafe.escape(deliveryName) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(content));
            ch.force(true);
        }
        Files.move(tmp, m, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** done/ and error/ may be on another file system than the inbox: then copy and delete. Never opens special files. */
    private static void moveAcrossFileSystems(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return;
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            // fall through
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isOther()) {
                    continue; // a FIFO or device is not copied (copying would open it); it is deleted below
                }
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
            }
        }
        deleteTree(from);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long lastModified(Path p) throws IOException {
        long[] newest = {Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis()};
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    newest[0] = Math.max(newest[0], attrs.lastModifiedTime().toMillis());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return newest[0];
    }
}
