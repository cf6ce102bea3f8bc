package org.celltrial.adapter.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The cases of the bad-input corpus that are too big, too binary or too regular to keep as files: giant and wide
 * CSV, hostile zips built byte by byte (truncated, encrypted, junk before them, names that are not UTF-8, 10^5
 * entries, a small bomb), deep and wide JSON and XML bodies. Each is built when the test runs.
 */
final class CorpusGenerated {

    static final String AE_HEADER = "STUDYID,DOMAIN,USUBJID,AESEQ,AETERM,AESER,AESTDTC,AESTDY\n";
    static final String AE1 = "AdverseEvent/${STUDY}-${STUDY}-001-AE-1";
    static final String AE2 = "AdverseEvent/${STUDY}-${STUDY}-001-AE-2";
    static final String P1 = "Patient/${STUDY}-${STUDY}-001";
    static final String P2 = "Patient/${STUDY}-${STUDY}-002";
    static final String DM = "STUDYID,DOMAIN,USUBJID,SUBJID,RFSTDTC,BRTHDTC,SEX\n${STUDY},DM,${STUDY}-001,001,2023-03-01,2015-06,F\n"
            + "${STUDY},DM,${STUDY}-002,002,2023-03-01,2014,M\n";

    private CorpusGenerated() {
    }

    static String aeRow(int seq, String term) {
        return "${STUDY},AE,${STUDY}-001," + seq + "," + term + ",N,2023-03-05,5\n";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<CorpusDelivery> deliveries() {
        List<CorpusDelivery> c = new ArrayList<>();
        // --- big and wide CSV (a folder with the good DM beside it) ---
        String giant = "x".repeat(50 * 1024 * 1024);
        c.add(CorpusDelivery.folder("gen-csv-field-of-50-mb", Map.of("ae.csv", utf8(AE_HEADER + aeRow(1, giant) + aeRow(2, "Fever"))),
                "area: error", "report: ae.csv row 1: AdverseEvent/${STUDY}-${STUDY}-001-AE-1 does not conform",
                "report: AdverseEvent.event.text: value is longer than permitted maximum length of 1 M", "report: more characters)",
                "no-report: " + "x".repeat(2001), "lands: " + AE2,
                "absent: " + AE1));
        StringBuilder wide = new StringBuilder(AE_HEADER.strip());
        StringBuilder wideRow = new StringBuilder(aeRow(1, "Nausea").strip());
        for (int i = 0; i < 100_000; i++) {
            wide.append(",X").append(i);
            wideRow.append(",v");
        }
        c.add(CorpusDelivery.folder("gen-csv-100k-columns", Map.of("ae.csv", utf8(wide + "\n" + wideRow + "\n")),
                "area: done", "lands: " + AE1));
        c.add(CorpusDelivery.folder("gen-csv-header-name-of-100k-chars",
                Map.of("ae.csv", utf8(AE_HEADER.strip() + ",Y" + "y".repeat(100_000) + "\n" + aeRow(1, "Nausea").strip() + ",v\n")),
                "area: done", "lands: " + AE1));
        StringBuilder late = new StringBuilder(AE_HEADER);
        for (int i = 1; i <= 20_000; i++) {
            late.append(aeRow(i, "Nausea"));
        }
        byte[] lateBytes = concat(utf8(late.toString()), new byte[]{(byte) 0xC3, '(', '\n'});
        c.add(CorpusDelivery.folder("gen-csv-invalid-utf8-after-20k-rows", Map.of("ae.csv", lateBytes),
                "area: error", "report: ae.csv (whole file): ae.csv: not valid UTF-8", "absent: " + AE1));
        c.add(CorpusDelivery.folder("gen-csv-line-of-2-mb-commas", Map.of("ae.csv", utf8(AE_HEADER + ",".repeat(2 * 1024 * 1024) + "\n" + aeRow(2, "Fever"))),
                "area: error", "report: ae.csv row 1: row has 2097153 fields but the header has 8", "lands: " + AE2));
        c.add(CorpusDelivery.folder("gen-csv-utf16le-without-bom", Map.of("ae.csv", (AE_HEADER + aeRow(1, "Nausea")).replace("${STUDY}", "UTF16")
                        .getBytes(StandardCharsets.UTF_16LE)), "area: error",
                "report: required columns STUDYID, USUBJID, AESEQ, AETERM missing from the header row", "absent: " + AE1));
        c.add(CorpusDelivery.folder("gen-file-name-with-line-break", Map.of("ae\nINFO forged.csv", utf8(AE_HEADER + aeRow(1, "Nausea"))),
                "report: ae\\nINFO forged.csv", "no-report: \nINFO forged"));
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 10_001; i++) {
            many.put("n" + i + ".txt", new byte[]{'x'});
        }
        c.add(CorpusDelivery.folder("gen-folder-of-10001-files", many, "sibling: none", "area: error",
                "report: Outcome: FAILED", "report: more than 10000 entries (celltrial.ingest.safety.max-entries)", "absent: " + P1));

        // --- zips ---
        Function<String, byte[]> dm = st -> utf8(DM.replace("${STUDY}", st));
        Function<String, byte[]> ae = st -> utf8((AE_HEADER + aeRow(1, "Nausea")).replace("${STUDY}", st));
        Function<String, byte[]> ae2 = st -> utf8((AE_HEADER + aeRow(2, "Fever")).replace("${STUDY}", st));
        c.add(CorpusDelivery.zip("gen-zip-empty", st -> new byte[]{'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                "area: error", "report: no SDTM datasets found in the delivery"));
        c.add(CorpusDelivery.zip("gen-zip-zero-bytes", st -> new byte[0], "area: error", "report: no SDTM datasets"));
        c.add(CorpusDelivery.zip("gen-zip-truncated", st -> {
                    byte[] good = zip(entries("site/dm.csv", dm.apply(st), "site/ae.csv", concat(ae.apply(st), utf8("x".repeat(4000) + "\n"))));
                    return Arrays.copyOf(good, good.length * 2 / 3);
                }, "area: error", "report: Outcome: FAILED", "report: the zip cannot be read: it ends inside entry 2 (truncated?)", "absent: " + P1));
        c.add(CorpusDelivery.zip("gen-zip-junk-before-it", st -> concat(utf8("#!/bin/sh\nexit 0\n" + "\0".repeat(1000)), zip(entries("dm.csv", dm.apply(st)))),
                "area: error", "absent: " + P1));
        c.add(CorpusDelivery.zip("gen-zip-encrypted-entry", st -> encryptedFlag(zip(entries("dm.csv", dm.apply(st), "ae.csv", ae.apply(st))), 1),
                "area: error", "report: encrypted ZIP entry not supported"));
        c.add(CorpusDelivery.zip("gen-zip-crc-mismatch", st -> corruptCrc(zip(entries("dm.csv", dm.apply(st)))),
                "area: error", "report: Outcome: FAILED", "absent: " + P1));
        c.add(CorpusDelivery.zip("gen-zip-nested-archives", st -> zip(entries("dm.csv", dm.apply(st), "more.tar.gz", utf8("x"), "lib.jar", utf8("x"), "x.7z", utf8("x"), "in.ZIP", utf8("PK"))),
                "area: error", "report: more.tar.gz (whole file): refused: an archive inside the delivery is not expanded",
                "report: lib.jar (whole file): refused", "report: x.7z (whole file): refused", "report: in.ZIP (whole file): refused", "lands: " + P1, "lands: " + P2));
        c.add(CorpusDelivery.zip("gen-zip-same-dataset-twice", st -> zip(entries("a/dm.csv", dm.apply(st), "b/DM.csv", dm.apply(st))),
                "area: error", "report: dataset DM comes in 2 files of this delivery", "report: none of them was loaded", "absent: " + P1, "absent: " + P2));
        c.add(CorpusDelivery.zip("gen-zip-duplicate-entry-names", st -> zipAllowingDuplicates("dm.csv", dm.apply(st), "dm.csv", dm.apply(st)),
                "area: error", "report: dataset DM comes in 2 files of this delivery", "report: none of them was loaded", "absent: " + P1, "absent: " + P2));
        c.add(CorpusDelivery.zip("gen-zip-control-characters-in-names", st -> zip(entries("dm.csv", dm.apply(st), "ae\r\nWARN forged.csv", ae.apply(st), "x\u202e\u0007.csv", ae2.apply(st))),
                "area: done", "report: ae\\r\\nWARN forged.csv (AE): 1 rows", "report: x\\u202E\\u0007.csv (AE): 1 rows",
                "no-report: \nWARN forged", "no-report: \u202e", "lands: " + P1, "lands: " + P2, "lands: " + AE1, "lands: " + AE2));
        c.add(CorpusDelivery.zip("gen-zip-windows-paths", st -> zip(entries("dm.csv", dm.apply(st), "C:\\evil\\ae.csv", ae.apply(st), "..\\..\\evil.csv", ae.apply(st), "\\\\host\\share\\x.csv", ae.apply(st))),
                "area: error", "report: C:\\evil\\ae.csv (whole file): refused: the path is absolute or leaves the delivery with '..'",
                "report: ..\\..\\evil.csv (whole file): refused", "report: \\\\host\\share\\x.csv (whole file): refused", "lands: " + P1, "lands: " + P2, "absent: " + AE1));
        c.add(CorpusDelivery.zip("gen-zip-nul-in-name", st -> zip(entries("dm.csv", dm.apply(st), "ae.csv\0.txt", ae.apply(st))),
                "area: error", "report: ae.csv\\u0000.txt (whole file): refused", "lands: " + P1, "lands: " + P2, "absent: " + AE1));
        c.add(CorpusDelivery.zip("gen-zip-name-not-utf8", st -> rawName(zip(entries("dm.csv", dm.apply(st), "ae-XX.csv", ae.apply(st))), "ae-XX.csv", new byte[]{'a', 'e', '-', (byte) 0xFF, (byte) 0xFE, '.', 'c', 's', 'v'}),
                "area: error", "report: Outcome: FAILED", "report: the zip cannot be read: the name of entry 2 is not valid UTF-8", "absent: " + P1));
        c.add(CorpusDelivery.zip("gen-zip-100k-entries", st -> manyEntries(100_000), "area: error", "report: more than 10000 entries"));
        c.add(CorpusDelivery.zip("gen-zip-only-directories", st -> zip(entries("a/", new byte[0], "a/b/", new byte[0])),
                "area: error", "report: no SDTM datasets"));
        c.add(CorpusDelivery.zip("gen-zip-symlink-entry", st -> symlinkEntry("dm.csv", "/etc/passwd"),
                "area: error", "report: dm.csv (whole file) column STUDYID, USUBJID, SUBJID: required columns STUDYID, USUBJID, SUBJID missing", "no-report: root:"));
        c.add(CorpusDelivery.zip("gen-zip-small-bomb", st -> bomb(80L * 1024 * 1024), "area: error",
                "report: more than the limit of 67108864 bytes, decompressed (celltrial.ingest.max-delivery-bytes)"));
        c.add(CorpusDelivery.zip("gen-zip-entry-name-of-60k-chars", st -> zip(entries("dm.csv", dm.apply(st), "n".repeat(60_000) + ".csv", ae.apply(st))),
                "area: error", "report: refused: the file name is longer than 255 characters", "report: more characters)", "lands: " + P1, "lands: " + P2, "absent: " + AE1));
        c.add(CorpusDelivery.zip("gen-zip-macos-resource-forks", st -> zip(entries("__MACOSX/._dm.csv", utf8("\0\5\u0016\u0007"), "dm.csv", dm.apply(st), "._ae.csv", utf8("\0\0"))),
                "area: done", "lands: " + P1, "lands: " + P2));
        c.add(CorpusDelivery.zip("gen-zip-csv-entry-is-binary", st -> zip(entries("dm.csv", dm.apply(st), "ae.csv", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, (byte) 0xFF})),
                "area: error", "report: ae.csv: not valid UTF-8", "lands: " + P1, "lands: " + P2));
        c.add(CorpusDelivery.zip("gen-zip-dot-segments", st -> zip(entries("./site/./dm.csv", dm.apply(st))), "area: done", "lands: " + P1, "lands: " + P2));
        c.add(CorpusDelivery.zip("gen-zip-zip-named-csv", st -> zip(entries("dm.csv", dm.apply(st), "ae.csv", zip(entries("ae.csv", ae.apply(st))))),
                "area: error", "report: ae.csv", "lands: " + P1, "lands: " + P2, "absent: " + AE1));
        return c;
    }

    // ---------------------------------------------------------------- FHIR requests

    static final String VALIDATE = "/fhir/Patient/$validate";
    static final String JSON = "application/fhir+json";
    static final String XML = "application/fhir+xml";

    static List<CorpusRequest> requests() {
        List<CorpusRequest> c = new ArrayList<>();
        List<Integer> refused = List.of(400);
        // deep JSON: 100,000 nested arrays, and 2,000 nested extensions (each a valid FHIR element)
        c.add(CorpusRequest.of("gen-json-100k-nested-arrays", "POST", VALIDATE, JSON,
                utf8("{\"resourceType\":\"Patient\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"), refused));
        StringBuilder ext = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            ext.append("{\"url\":\"http://x/e\",\"extension\":[");
        }
        ext.append("{\"url\":\"http://x/e\",\"valueString\":\"deep\"}");
        ext.append("]}".repeat(2_000));
        c.add(CorpusRequest.of("gen-json-2000-nested-extensions", "POST", VALIDATE, JSON,
                utf8("{\"resourceType\":\"Patient\",\"extension\":[" + ext + "]}"), List.of(400, 200)));
        StringBuilder wide = new StringBuilder("{\"resourceType\":\"Patient\"");
        for (int i = 0; i < 20_000; i++) {
            wide.append(",\"p").append(i).append("\":1");
        }
        c.add(CorpusRequest.of("gen-json-20k-unknown-properties", "POST", VALIDATE, JSON, utf8(wide + "}"), List.of(400, 200)));
        StringBuilder names = new StringBuilder("{\"resourceType\":\"Patient\",\"name\":[");
        for (int i = 0; i < 50_000; i++) {
            names.append(i == 0 ? "" : ",").append("{\"family\":\"f").append(i).append("\"}");
        }
        c.add(CorpusRequest.of("gen-json-50k-names", "POST", VALIDATE, JSON, utf8(names + "]}"), List.of(200, 400)));
        c.add(CorpusRequest.of("gen-json-string-of-9-mb", "POST", VALIDATE, JSON,
                utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + "f".repeat(9 * 1024 * 1024) + "\"}]}"), List.of(200, 400)));
        c.add(CorpusRequest.of("gen-json-number-of-100k-digits", "POST", "/fhir/Observation/$validate", JSON,
                utf8("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},\"valueQuantity\":{\"value\":1"
                        + "0".repeat(100_000) + "}}"), List.of(200, 400)));
        c.add(CorpusRequest.of("gen-json-invalid-utf8", "POST", VALIDATE, JSON,
                concat(utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a"), new byte[]{(byte) 0xC3, (byte) 0x28, '"', '}', ']', '}'}), List.of(400, 200)));
        c.add(CorpusRequest.of("gen-json-utf16-bom", "POST", VALIDATE, JSON + "; charset=UTF-8",
                concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_16LE)), refused));
        // deep and wide XML
        c.add(CorpusRequest.of("gen-xml-100k-nested-elements", "POST", VALIDATE, XML,
                utf8("<Patient xmlns=\"http://hl7.org/fhir\">" + "<x>".repeat(100_000) + "</x>".repeat(100_000) + "</Patient>"), refused));
        StringBuilder attrs = new StringBuilder("<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"female\"");
        for (int i = 0; i < 100_000; i++) {
            attrs.append(" a").append(i).append("=\"1\"");
        }
        c.add(CorpusRequest.of("gen-xml-100k-attributes", "POST", VALIDATE, XML, utf8(attrs + "/></Patient>"), List.of(400, 200)));
        c.add(CorpusRequest.of("gen-xml-quadratic-blowup", "POST", VALIDATE, XML,
                utf8("<?xml version=\"1.0\"?>\n<!DOCTYPE Patient [<!ENTITY a \"" + "a".repeat(50_000) + "\">]>\n"
                        + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"" + "&a;".repeat(2_000) + "\"/></name></Patient>"),
                List.of(400, 200), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        c.add(CorpusRequest.of("gen-xml-utf16-declared-utf8", "POST", VALIDATE, XML,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Patient xmlns=\"http://hl7.org/fhir\"/>".getBytes(StandardCharsets.UTF_16LE), refused));
        c.add(CorpusRequest.of("gen-xml-invalid-utf8", "POST", VALIDATE, XML,
                concat(utf8("<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"a"), new byte[]{(byte) 0xFF, '"', '/', '>', '<', '/', 'n', 'a', 'm', 'e', '>', '<', '/', 'P', 'a', 't', 'i', 'e', 'n', 't', '>'}), List.of(400, 200)));
        // URLs
        c.add(CorpusRequest.of("gen-query-of-64-kb", "GET", "/fhir/Patient?name=" + "a".repeat(64 * 1024), null, null, List.of(400, 414)));
        c.add(CorpusRequest.of("gen-query-1000-repeated-parameters", "GET", "/fhir/Patient?" + "gender=female&".repeat(1000) + "_count=1", null, null, List.of(200, 400)));
        c.add(CorpusRequest.of("gen-query-1000-distinct-parameters", "GET", "/fhir/Patient?" + "gender=female&".repeat(0)
                + String.join("&", java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "p" + i + "=1").toList()), null, null, refused));
        c.add(CorpusRequest.of("gen-form-search-of-5000-parameters", "POST", "/fhir/Patient/_search", "application/x-www-form-urlencoded",
                utf8(String.join("&", java.util.stream.IntStream.range(0, 5000).mapToObj(i -> "p" + i + "=1").toList())), refused));
        return c;
    }

    // ---------------------------------------------------------------- zip building

    static Map<String, byte[]> entries(Object... nameAndBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameAndBytes.length; i += 2) {
            m.put((String) nameAndBytes[i], (byte[]) nameAndBytes[i + 1]);
        }
        return m;
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Two entries of the same name (ZipOutputStream refuses that): the second's name is patched afterwards. */
    static byte[] zipAllowingDuplicates(String name1, byte[] data1, String name2, byte[] data2) {
        String placeholder = "Q".repeat(name2.length());
        byte[] zip = zip(entries(name1, data1, placeholder, data2));
        return replaceAll(zip, utf8(placeholder), utf8(name2));
    }

    /** Sets the "encrypted" flag (bit 0) of the {@code n}-th local header and its central directory entry. */
    static byte[] encryptedFlag(byte[] zip, int n) {
        byte[] z = zip.clone();
        int local = 0;
        int central = 0;
        for (int i = 0; i + 4 < z.length; i++) {
            int sig = ByteBuffer.wrap(z, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (sig == 0x04034b50 && local++ == n) {
                z[i + 6] |= 1;
            } else if (sig == 0x02014b50 && central++ == n) {
                z[i + 8] |= 1;
            }
        }
        return z;
    }

    /** A stored entry whose CRC in every header is wrong. */
    static byte[] corruptCrc(byte[] zip) {
        byte[] z = zip.clone();
        for (int i = 0; i + 4 < z.length; i++) {
            int sig = ByteBuffer.wrap(z, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (sig == 0x08074b50) { // data descriptor: crc follows the signature
                z[i + 4] ^= 0x5A;
            } else if (sig == 0x04034b50) {
                z[i + 14] ^= 0x5A;
            } else if (sig == 0x02014b50) {
                z[i + 16] ^= 0x5A;
            }
        }
        return z;
    }

    /** Replaces an entry's name by raw bytes (same length), with the UTF-8 flag (bit 11) set. */
    static byte[] rawName(byte[] zip, String name, byte[] raw) {
        if (raw.length != utf8(name).length) {
            throw new IllegalArgumentException("same length needed");
        }
        return replaceAll(zip, utf8(name), raw);
    }

    static byte[] manyEntries(int n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < n; i++) {
                zip.putNextEntry(new ZipEntry("e" + i));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A stored entry whose external attributes mark it as a Unix symbolic link to {@code target}. */
    static byte[] symlinkEntry(String name, String target) {
        byte[] zip = zip(entries(name, utf8(target)));
        byte[] z = zip.clone();
        for (int i = 0; i + 4 < z.length; i++) {
            int sig = ByteBuffer.wrap(z, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (sig == 0x02014b50) {
                z[i + 5] = 3; // made by: Unix
                ByteBuffer.wrap(z, i + 38, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0120777 << 16);
            }
        }
        return z;
    }

    /** A zip whose dm.csv expands to {@code bytes} (a header, then zeros). */
    static byte[] bomb(long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("dm.csv"));
            zip.write(utf8("STUDYID,DOMAIN,USUBJID,SUBJID\n"));
            byte[] zeros = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= zeros.length) {
                zip.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] replaceAll(byte[] data, byte[] from, byte[] to) {
        byte[] r = data.clone();
        for (int i = 0; i + from.length <= r.length; i++) {
            if (Arrays.equals(r, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, r, i, to.length);
            }
        }
        return r;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
