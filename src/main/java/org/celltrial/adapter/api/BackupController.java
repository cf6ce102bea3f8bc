package org.celltrial.adapter.api;

import org.celltrial.adapter.guard.StatementTimeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /api/admin/backup}: an online backup of the embedded H2 database while the server runs, ingests and
 * answers searches. H2's {@code BACKUP TO} copies the database file without locking anything; the copy holds what was
 * committed when it started (a subject's transaction is in it completely or not at all), and H2 rolls back on opening
 * the copy whatever was uncommitted. The zip is written under a temporary name and renamed when complete, so a file
 * named {@code celltrial-*.zip} in the backup folder is always a whole backup. One backup at a time (409 otherwise).
 * On PostgreSQL the answer is 501 pointing to pg_dump (README, "Backup and restore").
 */
@RestController
@RequestMapping("/api/admin")
public class BackupController {

    private static final Logger LOG = LoggerFactory.getLogger(BackupController.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS", Locale.ROOT);

    private final DataSource dataSource;
    private final Path dir;
    private final AtomicBoolean running = new AtomicBoolean();

    public BackupController(DataSource dataSource, @Value("${celltrial.backup.dir:${celltrial.data-dir}/backup}") String dir) {
        this.dataSource = dataSource;
        this.dir = Path.of(dir).toAbsolutePath().normalize();
    }

    @PostMapping("/backup")
    public ResponseEntity<Map<String, Object>> backup() throws Exception {
        if (!running.compareAndSet(false, true)) {
            return ResponseEntity.status(409).body(Map.of("status", 409, "error", "a backup is running; try again when it has finished"));
        }
        try {
            // the copy takes as long as the database is large: the background timeout, not the request's
            return StatementTimeouts.asBackground(this::backupNow);
        } finally {
            running.set(false);
        }
    }

    private ResponseEntity<Map<String, Object>> backupNow() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            if (product == null || !product.toLowerCase(Locale.ROOT).startsWith("h2")) {
                return ResponseEntity.status(501).body(Map.of("status", 501, "error", "the database is " + product
                        + ": back it up with its own tools (pg_dump -Fc; README, 'Backup and restore')"));
            }
            Files.createDirectories(dir);
            String name = "celltrial-" + LocalDateTime.now().format(STAMP) + ".zip";
            Path partial = dir.resolve("." + name + ".partial");
            Path done = dir.resolve(name);
            try (Statement s = c.createStatement()) {
                s.execute("BACKUP TO '" + partial.toString().replace("'", "''") + "'");
            }
            moveIntoPlace(partial, done);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("Online backup of the database written: {} ({} bytes, {} ms)", done.getFileName(), Files.size(done), ms);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", done.toString());
            body.put("bytes", Files.size(done));
            body.put("ms", ms);
            return ResponseEntity.ok(body);
        }
    }

    private static void moveIntoPlace(Path partial, Path done) throws IOException {
        try {
            Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }
}
