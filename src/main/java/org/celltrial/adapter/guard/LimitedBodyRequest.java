package org.celltrial.adapter.guard;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A request whose body is counted while it is read: past {@code limit} bytes the read throws
 * {@link BodyTooLargeException}, so a chunked body (no Content-Length) is never read into memory past the limit. A
 * gzip body ({@code Content-Encoding: gzip}) is decoded here, and the decoded bytes are counted against the same
 * limit (a small compressed body cannot expand into gigabytes); the request then looks uncompressed to the server.
 */
final class LimitedBodyRequest extends HttpServletRequestWrapper {

    private final long limit;
    private final boolean gzip;
    private ServletInputStream stream;
    private BufferedReader reader;

    LimitedBodyRequest(HttpServletRequest request, long limit) {
        super(request);
        this.limit = limit;
        this.gzip = "gzip".equalsIgnoreCase(trim(request.getHeader("Content-Encoding")));
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (reader != null) {
            throw new IllegalStateException("getReader() was called already");
        }
        if (stream == null) {
            // numbers with huge exponents are refused in the bytes the server parses (decoded, if gzip)
            HugeExponentScanner numbers = new HugeExponentScanner(isJson(getContentType()));
            InputStream raw = new Counting(super.getInputStream(), limit, false, gzip ? null : numbers);
            stream = gzip ? new Counting(gunzip(raw), limit, true, numbers) : (ServletInputStream) raw;
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
            reader = new BufferedReader(new InputStreamReader(getInputStream(), cs));
        }
        return reader;
    }

    @Override
    public String getHeader(String name) {
        if (gzip && isDecodedHeader(name)) {
            return null;
        }
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (gzip && isDecodedHeader(name)) {
            return Collections.emptyEnumeration();
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (!gzip) {
            return super.getHeaderNames();
        }
        List<String> names = Collections.list(super.getHeaderNames());
        names.removeIf(LimitedBodyRequest::isDecodedHeader);
        return Collections.enumeration(names);
    }

    @Override
    public int getContentLength() {
        return gzip ? -1 : super.getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return gzip ? -1 : super.getContentLengthLong();
    }

    private static boolean isJson(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("json");
    }

    private static boolean isDecodedHeader(String name) {
        return "Content-Encoding".equalsIgnoreCase(name) || "Content-Length".equalsIgnoreCase(name);
    }

    private static InputStream gunzip(InputStream raw) {
        return new InputStream() {
            private GZIPInputStream in;

            private GZIPInputStream in() throws IOException {
                if (in == null) {
                    try {
                        in = new GZIPInputStream(raw, 8192);
                    } catch (java.util.zip.ZipException | java.io.EOFException e) {
                        throw new BodyUnreadableException("not a gzip stream (Content-Encoding: gzip)");
                    }
                }
                return in;
            }

            @Override
            public int read() throws IOException {
                return in().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in().read(b, off, len);
                } catch (java.util.zip.ZipException e) {
                    throw new BodyUnreadableException("broken gzip stream (Content-Encoding: gzip)");
                }
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }
        };
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    /** Counts bytes as they are read and throws past the limit; an I/O failure of the client becomes a 400. */
    static final class Counting extends ServletInputStream {
        private final InputStream in;
        private final long limit;
        private final boolean decoded;
        private final HugeExponentScanner numbers;
        private long count;
        private boolean finished;

        Counting(InputStream in, long limit, boolean decoded, HugeExponentScanner numbers) {
            this.in = in;
            this.limit = limit;
            this.decoded = decoded;
            this.numbers = numbers;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = in.read();
            } catch (BodyTooLargeException | BodyUnreadableException e) {
                throw e;
            } catch (IOException e) {
                throw new BodyUnreadableException("the client stopped sending (" + e.getClass().getSimpleName() + ")");
            }
            if (b < 0) {
                finished = true;
                return b;
            }
            add(1);
            if (numbers != null) {
                numbers.scan(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(buf, off, (int) Math.min(len, Math.max(1, limit - count + 1)));
            } catch (BodyTooLargeException | BodyUnreadableException e) {
                throw e;
            } catch (IOException e) {
                throw new BodyUnreadableException("the client stopped sending (" + e.getClass().getSimpleName() + ")");
            }
            if (n < 0) {
                finished = true;
                return n;
            }
            add(n);
            if (numbers != null) {
                numbers.scan(buf, off, n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit, decoded);
            }
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public boolean isReady() {
            return in instanceof ServletInputStream s ? s.isReady() : true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            if (in instanceof ServletInputStream s) {
                s.setReadListener(listener);
            } else {
                throw new IllegalStateException("asynchronous reads are not supported for gzip bodies");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
