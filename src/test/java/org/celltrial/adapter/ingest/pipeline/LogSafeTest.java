package org.celltrial.adapter.ingest.pipeline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {

    @Test
    void lineBreaksAndTabsBecomeVisibleEscapes() {
        assertThat(LogSafe.escape("evil\nINFO forged")).isEqualTo("evil\\nINFO forged");
        assertThat(LogSafe.escape("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
    }

    @Test
    void otherControlsAndBidiOverridesBecomeUnicodeEscapes() {
        assertThat(LogSafe.escape("\u001b[31mred")).isEqualTo("\\u001B[31mred");
        assertThat(LogSafe.escape("nul\u0000del\u007fc1\u0085")).isEqualTo("nul\\u0000del\\u007Fc1\\u0085");
        assertThat(LogSafe.escape("file\u202Etxt.csv")).isEqualTo("file\\u202Etxt.csv");
        assertThat(LogSafe.escape("a\u2066b\u2069c\u200Fd\u061Ce")).isEqualTo("a\\u2066b\\u2069c\\u200Fd\\u061Ce");
        assertThat(LogSafe.escape("line\u2028para\u2029")).isEqualTo("line\\u2028para\\u2029");
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        String s = "site-07 Übergabe 2023 – ドメイン.csv \\path 😀";
        assertThat(LogSafe.escape(s)).isSameAs(s);
        assertThat(LogSafe.escape((String) null)).isNull();
    }

    @Test
    void longTextIsCutWithACount() {
        assertThat(LogSafe.escape("ab\ncdef", 4)).isEqualTo("ab\\n... (4 more characters)");
    }
}
