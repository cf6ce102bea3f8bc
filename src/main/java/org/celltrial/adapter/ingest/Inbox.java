package org.celltrial.adapter.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file-drop areas: {@code inbox} (deliveries arrive: a folder per study or a .zip), {@code work}
 * (claimed, being processed), {@code done} and {@code error} (processed, with a report beside each).
 * A delivery is claimed by an atomic rename once nothing in it has changed for the quiet period, so a
 * half-copied folder is never read, and every delivery is processed once.
 */
public class Inbox {

    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final IngestProperties props;

    public Inbox(IngestProperties props) throws IOException {
        this.props = props;
        for (Path p : List.of(props.inbox(), props.work(), props.done(), props.error())) {
            Files.createDirectories(p);
        }
    }

    /** Deliveries interrupted by a stop or crash go back to the inbox to be processed again. */
    public void recoverInterrupted() throws IOException {
        try (Stream<Path> s = Files.list(props.work())) {
            for (Path p : s.toList()) {
                Path back = props.inbox().resolve(p.getFileName());
                if (!Files.exists(back)) {
                    Files.move(p, back, StandardCopyOption.ATOMIC_MOVE);
                    log.info("Re-queued interrupted delivery {}", p.getFileName());
                }
            }
        }
    }

    /** Claims the deliveries that are ready, moving them into the work area; returns their new paths. */
    public List<Path> claimReady() throws IOException {
        List<Path> claimed = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (Stream<Path> s = Files.list(props.inbox())) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || !(Files.isDirectory(p) || name.toLowerCase().endsWith(".zip"))) {
                    continue;
                }
                if (now - lastModified(p) < props.quietPeriodMs()) {
                    continue;
                }
                Path target = props.work().resolve(name);
                try {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                    claimed.add(target);
                } catch (IOException e) {
                    log.warn("Could not claim delivery {}: {}", name, e.toString());
                }
            }
        }
        return claimed;
    }

    /** Moves a processed delivery to done (no problems) or error, with its report beside it. */
    public Path finish(Path delivery, IngestReport report) throws IOException {
        return moveWithReport(delivery, report.hasProblems() ? props.error() : props.done(), report.render());
    }

    public Path fail(Path delivery, String reason) throws IOException {
        String text = "Delivery: " + delivery.getFileName() + "\nOutcome: FAILED - nothing of it was stored\nReason: "
                + reason + "\n\nFix the cause and drop the delivery into the inbox again.\n";
        return moveWithReport(delivery, props.error(), text);
    }

    private Path moveWithReport(Path delivery, Path area, String report) throws IOException {
        String name = LocalDateTime.now().format(STAMP) + "-" + delivery.getFileName();
        Path target = area.resolve(name);
        moveAcrossFileSystems(delivery, target);
        Files.writeString(area.resolve(name + ".report.txt"), report, StandardCharsets.UTF_8);
        return target;
    }

    /** done/ and error/ may be on another file system than the inbox: then copy and delete. */
    private static void moveAcrossFileSystems(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return;
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            // fall through
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static long lastModified(Path p) throws IOException {
        long[] newest = {Files.getLastModifiedTime(p).toMillis()};
        if (Files.isDirectory(p)) {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    newest[0] = Math.max(newest[0], attrs.lastModifiedTime().toMillis());
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return newest[0];
    }
}
