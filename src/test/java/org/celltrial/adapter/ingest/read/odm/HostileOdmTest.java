package org.celltrial.adapter.ingest.read.odm;

import org.celltrial.adapter.ingest.read.UnreadableDatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hostile ODM files are refused with a reason, quickly, without reading outside files or exhausting memory. */
class HostileOdmTest {

    @TempDir
    Path spool;

    private static final String ODM_OPEN = "<ODM xmlns=\"http://www.cdisc.org/ns/odm/v1.3\"><ClinicalData StudyOID=\"S\">";
    private static final String ODM_CLOSE = "</ClinicalData></ODM>";

    private void refused(String xml, String why) {
        refused(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), why);
    }

    private void refused(InputStream in, String why) {
        assertThatThrownBy(() -> new OdmDatasetReader(spool).open("evil.xml", in).close())
                .isInstanceOf(UnreadableDatasetException.class)
                .hasMessageStartingWith("evil.xml: ")
                .hasMessageContaining(why);
        try (var s = Files.list(spool)) {
            for (Path p : s.toList()) {
                try (var inner = Files.list(p)) {
                    assertThat(inner.toList()).as("no spool left behind").isEmpty();
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void externalEntityIsNeverRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        refused("<?xml version=\"1.0\"?><!DOCTYPE ODM [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>" + ODM_OPEN
                + "<SubjectData SubjectKey=\"&xxe;\"/>" + ODM_CLOSE, "DOCTYPE");
    }

    @Test
    void billionLaughsIsRefusedAtTheDoctype() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE ODM [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        refused(dtd + ODM_OPEN + "<SubjectData SubjectKey=\"&lol9;\"/>" + ODM_CLOSE, "DOCTYPE");
    }

    @Test
    void plainDoctypeIsRefused() {
        refused("<!DOCTYPE ODM SYSTEM \"http://127.0.0.1:1/odm.dtd\">" + ODM_OPEN + ODM_CLOSE, "DOCTYPE");
    }

    @Test
    void undeclaredEntityIsRefused() {
        refused(ODM_OPEN + "<SubjectData SubjectKey=\"&xxe;\"/>" + ODM_CLOSE, "not readable as ODM XML");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "<x>".repeat(10_000) + "</x>".repeat(10_000);
        refused(ODM_OPEN + deep + ODM_CLOSE, "not readable as ODM XML");
    }

    @Test
    void hugeAttributeIsRefusedWithoutHoldingIt() {
        // 64 MiB of one attribute value, streamed: refused at the 1 MiB attribute bound
        InputStream head = new ByteArrayInputStream((ODM_OPEN + "<SubjectData SubjectKey=\"").getBytes(StandardCharsets.UTF_8));
        InputStream body = new InputStream() {
            long left = 64L << 20;

            @Override
            public int read() {
                return left-- > 0 ? 'A' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'A');
                left -= n;
                return n;
            }
        };
        InputStream tail = new ByteArrayInputStream(("\"/>" + ODM_CLOSE).getBytes(StandardCharsets.UTF_8));
        refused(new SequenceInputStream(Collections.enumeration(List.of(head, body, tail))), "not readable as ODM XML");
    }

    @Test
    void notOdmAndBrokenXmlAreRefused() {
        refused("<ODM xmlns=\"urn:other\"/>", "not CDISC ODM 1.3");
        refused(ODM_OPEN + "<SubjectData SubjectKey=\"1\">", "not readable as ODM XML");
    }
}
