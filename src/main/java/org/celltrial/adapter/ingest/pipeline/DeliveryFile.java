package org.celltrial.adapter.ingest.pipeline;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * One file of a delivery: its name (without folders, control characters escaped, see {@link LogSafe}) and its
 * content, read as a stream. The content of a folder delivery is its file on disk; a zip entry is spooled to a
 * temporary file while the zip is read. Nothing holds a whole file in memory unless a reader asks for
 * {@link #content()}, so readers should {@link #open()} and stream.
 */
public final class DeliveryFile {

    private final String name;
    private final Path path;
    private final byte[] bytes;
    private final long size;

    /** A file held in memory (classpath resources, tests): small by construction. */
    public DeliveryFile(String name, byte[] content) {
        this.name = name;
        this.path = null;
        this.bytes = content;
        this.size = content.length;
    }

    private DeliveryFile(String name, Path path, long size) {
        this.name = name;
        this.path = path;
        this.bytes = null;
        this.size = size;
    }

    /**
     * A file on disk of {@code size} bytes (as counted against the delivery limit). It is opened without following
     * symbolic links, and reading it fails if it has grown since it was counted.
     */
    public static DeliveryFile onDisk(String name, Path path, long size) {
        return new DeliveryFile(name, path, size);
    }

    public String name() {
        return name;
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** The content as a stream; the caller closes it. */
    public InputStream open() throws IOException {
        if (bytes != null) {
            return new ByteArrayInputStream(bytes);
        }
        return new Bounded(Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS), size, name);
    }

    /** The whole content in memory: only for files known to be small; streaming readers use {@link #open()}. */
    public byte[] content() {
        if (bytes != null) {
            return bytes;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new UncheckedIOException(new IOException(name + " is too large to be held in memory (" + size + " bytes)"));
        }
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + size + " bytes)";
    }

    /** Refuses to read past the size the file had when it was counted against the delivery limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private final String name;
        private long read;

        Bounded(InputStream in, long limit, String name) {
            super(in);
            this.limit = limit;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count(s);
            return s;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > limit) {
                throw new IOException(name + " grew while the delivery was being read (it had " + limit + " bytes)");
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
