package org.celltrial.adapter.ingest;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Free space under the data folders (the database folder, inbox, work area, done, error, spool): each file system
 * they live on must keep at least {@code celltrial.ingest.safety.min-free-disk}. Below it the poller claims no
 * delivery and readiness is DOWN, so a full disk never meets a database write half way.
 */
public final class DiskSpace {

    private final List<Path> folders;
    private final long minFreeBytes;

    public DiskSpace(List<Path> folders, long minFreeBytes) {
        this.folders = List.copyOf(folders);
        this.minFreeBytes = minFreeBytes;
    }

    public long minFreeBytes() {
        return minFreeBytes;
    }

    /** Usable bytes per file system (named by its first data folder). */
    public Map<Path, Long> usable() {
        Map<FileStore, Path> stores = new LinkedHashMap<>();
        Map<Path, Long> out = new LinkedHashMap<>();
        for (Path folder : folders) {
            Path p = existing(folder);
            try {
                FileStore store = Files.getFileStore(p);
                if (stores.putIfAbsent(store, folder) == null) {
                    out.put(folder, store.getUsableSpace());
                }
            } catch (IOException e) {
                out.put(folder, -1L);
            }
        }
        return out;
    }

    /** The folders whose file system has less than the minimum free, described; empty when all is well. */
    public List<String> low() {
        List<String> low = new ArrayList<>();
        usable().forEach((folder, free) -> {
            if (free < minFreeBytes) {
                low.add(folder + ": " + (free < 0 ? "free space unknown" : mib(free) + " MiB free") + ", needs "
                        + mib(minFreeBytes) + " MiB (celltrial.ingest.safety.min-free-disk)");
            }
        });
        return low;
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static Path existing(Path folder) {
        Path p = folder.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? folder.toAbsolutePath().getRoot() : p;
    }
}
