package org.celltrial.adapter.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of the bad-input corpus that is an HTTP request to the FHIR server: the request and the answer it must get
 * (one of the statuses; fragments the body must or must not contain). Kept as data in
 * {@code src/test/resources/bad-input/fhir/<name>.http}: comment lines {@code # status: 400 404},
 * {@code # contains: ...}, {@code # not-contains: ...}, then the request line, headers, an empty line and the body.
 * {@code ${SECRET_FILE}}, {@code ${SECRET}} and {@code ${SSRF}} are replaced by the path and content of a file an
 * attack must not read and the base URL of a listener that must never be called.
 */
record CorpusRequest(String name, String method, String target, Map<String, String> headers, byte[] body,
                     List<Integer> statuses, List<String> contains, List<String> notContains) {

    static final String REQUESTS = "src/test/resources/bad-input/fhir";

    static List<CorpusRequest> fromResources() {
        List<CorpusRequest> cases = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(REQUESTS))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".http")).sorted().toList()) {
                String name = f.getFileName().toString().replaceFirst("\\.http$", "");
                cases.add(parse(name, Files.readString(f, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static CorpusRequest parse(String name, String text) {
        List<Integer> statuses = new ArrayList<>();
        List<String> contains = new ArrayList<>();
        List<String> notContains = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        for (; i < lines.length && lines[i].startsWith("#"); i++) {
            String l = lines[i].substring(1).trim();
            if (l.startsWith("status:")) {
                Arrays.stream(l.substring(7).trim().split("\\s+")).map(Integer::valueOf).forEach(statuses::add);
            } else if (l.startsWith("contains:")) {
                contains.add(l.substring(9).trim());
            } else if (l.startsWith("not-contains:")) {
                notContains.add(l.substring(13).trim());
            }
        }
        String[] requestLine = lines[i++].split(" ", 2);
        Map<String, String> headers = new LinkedHashMap<>();
        for (; i < lines.length && !lines[i].isEmpty(); i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).trim(), lines[i].substring(c + 1).trim());
        }
        byte[] body = i < lines.length ? String.join("\n", Arrays.copyOfRange(lines, i + 1, lines.length))
                .getBytes(StandardCharsets.UTF_8) : null;
        if (statuses.isEmpty()) {
            throw new IllegalArgumentException(name + ": no '# status:' line");
        }
        return new CorpusRequest(name, requestLine[0], requestLine[1], headers, body, statuses, contains, notContains);
    }

    static CorpusRequest of(String name, String method, String target, String contentType, byte[] body,
                            List<Integer> statuses, String... notContains) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("Content-Type", contentType);
        return new CorpusRequest(name, method, target, headers, body, statuses, List.of(), List.of(notContains));
    }

    @Override
    public String toString() {
        return name;
    }
}
