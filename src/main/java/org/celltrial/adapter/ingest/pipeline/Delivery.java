package org.celltrial.adapter.ingest.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A study delivery: a folder or zip of SDTM datasets. Its files are read as streams ({@link DeliveryFile#open()});
 * the entries of a zip are spooled to a temporary folder, deleted by {@link #close()}. {@code refused} lists the
 * entries that were not read at all (symbolic links, FIFOs, devices, unsafe zip paths, nested zips), each with its
 * reason, for the report. Names are escaped ({@link LogSafe}).
 */
public record Delivery(String name, List<DeliveryFile> files, List<Refused> refused, Path spool) implements AutoCloseable {

    /** An entry of the delivery that was refused without being opened (a FIFO) or followed (a symbolic link). */
    public record Refused(String name, String reason) {
    }

    public Delivery(String name, List<DeliveryFile> files) {
        this(name, files, List.of(), null);
    }

    public Delivery {
        files = List.copyOf(files);
        refused = List.copyOf(refused);
    }

    /** Deletes the spooled zip entries, if any. */
    @Override
    public void close() {
        if (spool == null || !Files.exists(spool)) {
            return;
        }
        try (Stream<Path> s = Files.walk(spool)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Delivery.class).warn("Could not delete the spool folder {}: {}",
                    LogSafe.escape(spool), e.getClass().getSimpleName());
        }
    }
}
