package org.celltrial.adapter.ingest.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Hands a source's delivery to the inbox, atomically: the files are written into a hidden folder inside the inbox
 * ({@code inbox/.sources-tmp/}, which the inbox poller skips, on the same file system), then the finished folder is
 * renamed into the inbox in one step. The poller therefore never sees half a delivery, and a crash before the rename
 * leaves only a hidden folder, deleted at the source's next handover.
 */
public class DeliveryHandover {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path inbox;

    public DeliveryHandover(Path inbox) {
        this.inbox = inbox;
    }

    /** A delivery being written: add files, then {@link #handOver()}. */
    public final class Draft {
        private final Path dir;
        private final String name;

        private Draft(Path dir, String name) {
            this.dir = dir;
            this.name = name;
        }

        public Path dir() {
            return dir;
        }

        public String name() {
            return name;
        }

        /** Writes {@code source.json}: which source, system and request made the delivery (no secrets). */
        public void sourceJson(Map<String, Object> description) throws IOException {
            JSON.writeValue(dir.resolve(org.celltrial.adapter.ingest.pipeline.ReadStage.SOURCE_DESCRIPTION).toFile(), description);
        }

        /**
         * Writes the mirror's rows as one CSV file per dataset ({@code <DATASET>.csv}), columns in first-seen order;
         * two passes over the mirror (columns, then rows), so only one entry is in memory at a time.
         */
        public Map<String, Integer> datasetsFromMirror(SourceStateStore store, String sourceId) throws IOException {
            Map<String, Set<String>> columns = new LinkedHashMap<>();
            store.forEachPayload(sourceId, p -> MirrorRows.read(p).forEach(r ->
                    columns.computeIfAbsent(r.dataset(), k -> new LinkedHashSet<>()).addAll(r.values().keySet())));
            Map<String, CSVPrinter> printers = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, Set<String>> d : columns.entrySet()) {
                    String file = d.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + ".csv";
                    Writer w = Files.newBufferedWriter(dir.resolve(file), StandardCharsets.UTF_8);
                    printers.put(d.getKey(), new CSVPrinter(w, CSVFormat.RFC4180.builder()
                            .setHeader(d.getValue().toArray(String[]::new)).get()));
                    counts.put(d.getKey(), 0);
                }
                store.forEachPayload(sourceId, p -> {
                    for (MirrorRows.Row r : MirrorRows.read(p)) {
                        List<String> values = new ArrayList<>();
                        for (String c : columns.get(r.dataset())) {
                            values.add(r.values().getOrDefault(c, ""));
                        }
                        try {
                            printers.get(r.dataset()).printRecord(values);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        counts.merge(r.dataset(), 1, Integer::sum);
                    }
                });
            } finally {
                for (CSVPrinter p : printers.values()) {
                    p.close();
                }
            }
            return counts;
        }

        /** Renames the finished delivery into the inbox (atomic); returns its path there. */
        public Path handOver() throws IOException {
            Path target = inbox.resolve(name);
            return Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        }

        /** Deletes an unfinished draft. */
        public void discard() {
            deleteTree(dir);
        }
    }

    /** Starts a delivery of {@code sourceId}, named {@code <source>-<UTC time>-<random>}; stale drafts are deleted. */
    public Draft draft(String sourceId) throws IOException {
        Path tmp = inbox.resolve(".sources-tmp");
        Files.createDirectories(tmp);
        try (Stream<Path> old = Files.list(tmp)) {
            old.filter(p -> p.getFileName().toString().startsWith(sourceId + "-")).forEach(DeliveryHandover::deleteTree);
        }
        String name = sourceId + "-" + STAMP.format(Instant.now()) + "-"
                + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        Path dir = tmp.resolve(name);
        Files.createDirectory(dir);
        return new Draft(dir, name);
    }

    /** A fresh hidden file for a delivery that arrives as one file (an SFTP site's zip). */
    public Path hiddenFile(String sourceId, String name) throws IOException {
        Path tmp = inbox.resolve(".sources-tmp");
        Files.createDirectories(tmp);
        Path file = tmp.resolve(sourceId + "-" + UUID.randomUUID() + "-" + name);
        Files.deleteIfExists(file);
        return file;
    }

    /** Renames a finished hidden file into the inbox as {@code name} (atomic). */
    public Path moveIntoInbox(Path hidden, String name) throws IOException {
        return Files.move(hidden, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
