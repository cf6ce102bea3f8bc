package org.celltrial.adapter.guard;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Numbers with huge exponents in request bodies (1e999999999 made HAPI's JSON parser run out of memory). */
class HugeExponentScannerTest {

    private static void scan(boolean json, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        HugeExponentScanner s = new HugeExponentScanner(json);
        s.scan(b, 0, 3);
        s.scan(b, 3, b.length - 3); // a token split across reads
    }

    @Test
    void jsonNumbersBeyondTheLimitAreRefusedWithTheirOffsetNotTheirText() {
        assertThatThrownBy(() -> scan(true, "{\"valueQuantity\":{\"value\":1e999999999}}"))
                .isInstanceOf(BodyUnreadableException.class).hasMessageContaining("a number at byte 32 has an exponent beyond +/-1000")
                .hasMessageNotContaining("999999999");
        assertThatThrownBy(() -> scan(true, "[-2.5E-1001]")).isInstanceOf(BodyUnreadableException.class);
        assertThatThrownBy(() -> scan(true, "{\"a\":[1,2,3E+00001001]}")).isInstanceOf(BodyUnreadableException.class);
    }

    @Test
    void ordinaryNumbersStringsAndWordsPass() {
        assertThatCode(() -> scan(true, "{\"value\":1e1000,\"v\":-2.5E-1000,\"s\":\"1e999999999\",\"esc\":\"\\\"1e99999\","
                + "\"t\":true,\"f\":false,\"n\":null,\"big\":123456789012345678901234567890}")).doesNotThrowAnyException();
        assertThatCode(() -> scan(false, "<Patient><identifier><value value=\"LOT1E5000\"/></identifier>"
                + "<x value=\"1e10\"/><text>Room 3e45 and e5000</text></Patient>")).doesNotThrowAnyException();
    }

    @Test
    void xmlAndFormTokensBeyondTheLimitAreRefused() {
        assertThatThrownBy(() -> scan(false, "<valueQuantity><value value=\"1e999999999\"/></valueQuantity>"))
                .isInstanceOf(BodyUnreadableException.class);
        assertThatThrownBy(() -> scan(false, "value-quantity=1E5000&_count=1")).isInstanceOf(BodyUnreadableException.class);
    }
}
