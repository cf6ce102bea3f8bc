package org.celltrial.adapter.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One case of the bad-input corpus that is a delivery: its files (a folder) or its bytes (a zip), and what must follow
 * from it. Unless the case says {@code sibling: none} or brings its own dm.csv, a good DM dataset of two subjects of the
 * case's own study is added beside the bad files, and both Patients must land: the good part of a delivery is never
 * lost to its bad part. {@code ${STUDY}} in file contents and expectations is the case's study id.
 *
 * <p>Expectations, one per line ({@code expect.txt} of a case folder under {@code src/test/resources/bad-input/deliveries/}):
 * {@code area: done|error}, {@code report: <fragment>}, {@code no-report: <fragment>}, {@code lands: Type/id} (must be
 * readable over FHIR), {@code absent: Type/id} (404), {@code sibling: none}, {@code patients: N} (the Patients the case stores, when
 * their ids cannot be written down). Values are escaped as in Java
 * (backslash n, backslash u and 4 hex digits, two backslashes).
 */
record CorpusDelivery(String name, Map<String, byte[]> files, Function<String, byte[]> zip, List<String[]> expect) {

    static final String DELIVERIES = "src/test/resources/bad-input/deliveries";

    static CorpusDelivery folder(String name, Map<String, byte[]> files, String... expect) {
        return new CorpusDelivery(name, files, null, parse(List.of(expect), false));
    }

    /** A zip built for the case's study id (entries are compressed, so the id cannot be replaced in its bytes). */
    static CorpusDelivery zip(String name, Function<String, byte[]> zip, String... expect) {
        return new CorpusDelivery(name, Map.of(), zip, parse(List.of(expect), false));
    }

    /** The cases kept as data: every folder under {@link #DELIVERIES} ({@code files/} and {@code expect.txt}). */
    static List<CorpusDelivery> fromResources() {
        List<CorpusDelivery> cases = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(Path.of(DELIVERIES))) {
            for (Path dir : dirs.sorted().toList()) {
                Map<String, byte[]> files = new LinkedHashMap<>();
                Path root = dir.resolve("files");
                if (Files.isDirectory(root)) {
                    try (Stream<Path> s = Files.walk(root)) {
                        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                            files.put(root.relativize(f).toString(), Files.readAllBytes(f));
                        }
                    }
                }
                List<String> lines = Files.readAllLines(dir.resolve("expect.txt"), StandardCharsets.UTF_8);
                cases.add(new CorpusDelivery(dir.getFileName().toString(), files, null, parse(lines, true)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /** Expectations written in Java are exact; those read from expect.txt are unescaped. */
    private static List<String[]> parse(List<String> lines, boolean escaped) {
        List<String[]> out = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("expectation without 'key: value': " + line);
            }
            String value = line.substring(colon + 2);
            out.add(new String[]{line.substring(0, colon), escaped ? unescape(value) : value});
        }
        return out;
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    List<String> values(String key) {
        return expect.stream().filter(e -> e[0].equals(key)).map(e -> e[1]).toList();
    }

    boolean withSibling() {
        return zip == null && !values("sibling").contains("none") && !files.containsKey("dm.csv");
    }

    /** The name in the inbox (a zip gets ".zip"); reports are found by it. */
    String inboxName(int index) {
        return String.format("c%03d-%s", index, name);
    }

    /** Drops the delivery into {@code inbox}, staged under a hidden name and renamed so it appears at once. */
    void drop(Path inbox, int index, String study) throws IOException {
        String inboxName = inboxName(index);
        if (zip != null) {
            Path staging = inbox.resolve("." + inboxName + ".zip.partial");
            Files.write(staging, zip.apply(study));
            Files.move(staging, inbox.resolve(inboxName + ".zip"), StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path staging = inbox.resolve("." + inboxName + ".partial");
        Files.createDirectories(staging);
        Map<String, byte[]> all = new LinkedHashMap<>(files);
        if (withSibling()) {
            all.put("dm.csv", HostileInputs.dm(study, 2).getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, byte[]> f : all.entrySet()) {
            Path target = staging.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, substitute(f.getValue(), study));
        }
        Files.move(staging, inbox.resolve(inboxName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code ${STUDY}} replaced in bytes of any encoding that writes it as ASCII (not UTF-16: those cases have none). */
    static byte[] substitute(byte[] data, String study) {
        byte[] token = "${STUDY}".getBytes(StandardCharsets.US_ASCII);
        byte[] value = study.getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length);
        int i = 0;
        outer:
        while (i < data.length) {
            if (data[i] == '$' && i + token.length <= data.length) {
                for (int k = 0; k < token.length; k++) {
                    if (data[i + k] != token[k]) {
                        out.write(data[i++]);
                        continue outer;
                    }
                }
                out.writeBytes(value);
                i += token.length;
            } else {
                out.write(data[i++]);
            }
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return name;
    }
}
