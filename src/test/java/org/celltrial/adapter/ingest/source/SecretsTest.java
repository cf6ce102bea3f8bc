package org.celltrial.adapter.ingest.source;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTest {

    private static SourceDefinition source(Map<String, String> connection) {
        return new SourceDefinition("site", "redcap", Duration.ofMinutes(5), null, null, null, connection, null, null);
    }

    @Test
    void readFromTheEnvironmentOrAFileNeverFromTheConfiguration(@TempDir Path dir) throws Exception {
        Secrets secrets = new Secrets(Map.of("REDCAP_TOKEN", "ABC123"));
        assertThat(secrets.read(source(Map.of("token-env", "REDCAP_TOKEN")), "token")).isEqualTo("ABC123");
        Path f = dir.resolve("token");
        Files.writeString(f, "FROMFILE\n");
        assertThat(secrets.read(source(Map.of("token-file", f.toString())), "token")).isEqualTo("FROMFILE");
        assertThat(secrets.read(source(Map.of()), "token")).isNull();
        assertThatThrownBy(() -> secrets.read(source(Map.of("token", "INLINE-SECRET")), "token"))
                .hasMessageContaining("must not hold the secret itself").hasMessageNotContaining("INLINE-SECRET");
        assertThatThrownBy(() -> secrets.read(source(Map.of("token-env", "MISSING")), "token"))
                .hasMessageContaining("MISSING is not set");
        assertThatThrownBy(() -> secrets.read(source(Map.of("token-file", dir.resolve("none").toString())), "token"))
                .hasMessageContaining("cannot read the token file");
    }

    @Test
    void idsAreSafeForNamesAndUrls() {
        assertThatThrownBy(() -> new SourceDefinition("../x", "redcap", null, null, null, null, null, null, null))
                .hasMessageContaining("must be lower-case");
        SourceDefinition d = new SourceDefinition("site-7", "REDCap", null, null, null, null, null, null, null);
        assertThat(d.type()).isEqualTo("redcap");
        assertThat(d.mappingSet()).isEqualTo("default");
        assertThat(d.initialDelay()).isEqualTo(Duration.ofSeconds(10));
    }
}
