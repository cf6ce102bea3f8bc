package org.celltrial.adapter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies point one way: a package of the adapter uses only packages of the tiers below its own, never one beside
 * or above it (a listed package and its sub-packages count as one). Read from the sources (imports and qualified names in code; comments do not count), so it needs no
 * library and names the file that breaks the rule. A new package must be placed in a tier here.
 */
class PackageDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/org/celltrial/adapter");

    /** Top to bottom. */
    private static final List<List<String>> TIERS = List.of(
            List.of("(root)"),                                  // the application's main
            List.of("cli", "api"),                              // offline commands; our REST controllers
            List.of("server", "ingest"),                        // the FHIR server; the inbox and its routes
            List.of("guard", "ingest.pipeline"),                // request guards; the stages of a delivery
            List.of("ingest.fhir", "ingest.store"),             // writing to HAPI; the message store
            List.of("mapping", "profiles", "ingest.read", "runtime"), // SDTM to FHIR; our profiles; dataset file formats; process-wide (FatalErrors)
            List.of("hapi"));                                   // the seam to HAPI's and the HL7 validator's internals

    private static final Pattern PACKAGE = Pattern.compile("^package org\\.celltrial\\.adapter((?:\\.[a-z]\\w*)*);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("org\\.celltrial\\.adapter((?:\\.[a-z]\\w*)*)\\.[A-Z]");

    @Test
    void noPackageUsesOneBesideOrAboveIt() throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Integer> tierOf = tiers();
        for (Path file : sources()) {
            String text = Files.readString(file);
            Matcher p = PACKAGE.matcher(text);
            assertThat(p.find()).as(file + " has a package").isTrue();
            String from = name(p.group(1));
            String fromUnit = unit(tierOf, from, file);
            String code = code(text);
            Matcher r = REFERENCE.matcher(code);
            while (r.find()) {
                String to = name(r.group(1));
                String toUnit = unit(tierOf, to, file);
                // a listed package and its sub-packages are one unit (ingest.read.xpt implements ingest.read)
                if (!toUnit.equals(fromUnit) && tierOf.get(toUnit) <= tierOf.get(fromUnit)) {
                    violations.add(MAIN.relativize(file) + ": " + from + " uses " + to);
                }
            }
        }
        assertThat(new TreeSet<>(violations)).as("imports beside or upward (tiers, top first: %s)", TIERS).isEmpty();
    }

    /** What reaches into a library's internals (HAPI-COUPLING) lives in the seam, hapi/: nothing else reflects. */
    @Test
    void onlyTheHapiSeamReachesIntoPrivateMembers() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path file : sources()) {
            String code = code(Files.readString(file));
            if (!file.startsWith(MAIN.resolve("hapi")) && (code.contains("setAccessible(") || code.contains("getDeclaredField("))) {
                outside.add(MAIN.relativize(file).toString());
            }
        }
        assertThat(outside).as("reflection on private members outside org.celltrial.adapter.hapi").isEmpty();
    }

    @Test
    void theDatasetReadersDependOnNothingElseOfTheAdapter() throws IOException {
        for (Path file : sources()) {
            if (file.startsWith(MAIN.resolve("ingest/read"))) {
                String code = code(Files.readString(file));
                Matcher r = REFERENCE.matcher(code);
                while (r.find()) {
                    assertThat(name(r.group(1))).as(file.toString()).startsWith("ingest.read");
                }
            }
        }
    }

    /** The source without comments and without the content of string and character literals (text blocks included). */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source.charAt(i) != c) {
                    i += source.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append("\"\"");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The listed package a package belongs to: itself, or the listed package it is a sub-package of (longest match). */
    private static String unit(Map<String, Integer> tierOf, String pkg, Path file) {
        for (String p = pkg; ; p = p.substring(0, p.lastIndexOf('.'))) {
            if (tierOf.containsKey(p)) {
                return p;
            }
            assertThat(p).as("package %s (used in %s) is in no tier of this test: place it", pkg, file).contains(".");
        }
    }

    private static Map<String, Integer> tiers() {
        Map<String, Integer> tierOf = new TreeMap<>();
        for (int i = 0; i < TIERS.size(); i++) {
            for (String p : TIERS.get(i)) {
                tierOf.put(p, i);
            }
        }
        return tierOf;
    }

    private static String name(String group) {
        return group.isEmpty() ? "(root)" : group.substring(1);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
