package org.celltrial.adapter.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on a plain socket, for what Java's HttpClient cannot do: send from a chosen loopback
 * address (127.0.0.x: another "client" for the per-client limits), hold a request open with a body it has not
 * finished sending, and read an early answer (413) while the body is still being sent.
 */
final class RawHttp implements AutoCloseable {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    /** Connects from {@code from} (a 127.x.y.z address) to localhost:port. */
    static RawHttp connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(120_000);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
        return new RawHttp(s);
    }

    /** A complete request with a body of known length (may be null), then its response. */
    static Response send(String from, int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (RawHttp http = connect(from, port)) {
            http.head(method, target, headers, body == null ? 0 : body.length, false);
            if (body != null) {
                http.out.write(body);
            }
            http.out.flush();
            return http.read();
        }
    }

    static Response get(String from, int port, String target) throws IOException {
        return send(from, port, "GET", target, Map.of(), null);
    }

    /** Writes the request line and headers; {@code chunked}: the body follows in chunks ({@link #chunk}). */
    void head(String method, String target, Map<String, String> headers, long contentLength, boolean chunked) throws IOException {
        StringBuilder h = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        if (chunked) {
            h.append("Transfer-Encoding: chunked\r\n");
        } else if (contentLength > 0 || method.equals("POST") || method.equals("PUT")) {
            h.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        h.append("\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void chunk(byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void endChunks() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    OutputStream body() {
        return out;
    }

    /** Reads the response: status, headers, body (by Content-Length, chunked, or up to the end of the stream). */
    Response read() throws IOException {
        InputStream in = socket.getInputStream();
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int c = l.indexOf(':');
            headers.merge(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(code, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
