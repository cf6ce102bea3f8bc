package org.celltrial.adapter.ingest.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a source's secret (REDCap token, database or SFTP password) from where its configuration points:
 * {@code <name>-env} (an environment variable) or {@code <name>-file} (a file, e.g. a Docker or Kubernetes secret;
 * trailing line breaks dropped). A secret is never a configuration value itself, and no message here quotes one.
 */
public final class Secrets {

    private final Map<String, String> env;

    public Secrets(Map<String, String> env) {
        this.env = env;
    }

    public static Secrets fromEnvironment() {
        return new Secrets(System.getenv());
    }

    /** The secret {@code name} of the source, or null when the source configures none. */
    public String read(SourceDefinition source, String name) {
        String var = source.setting(name + "-env", null);
        String file = source.setting(name + "-file", null);
        if (source.setting(name, null) != null) {
            throw new IllegalArgumentException("source " + source.id() + ": connection." + name
                    + " must not hold the secret itself; use " + name + "-env or " + name + "-file");
        }
        if (var != null) {
            String v = env.get(var);
            if (v == null || v.isEmpty()) {
                throw new IllegalStateException("source " + source.id() + ": environment variable " + var + " is not set");
            }
            return v;
        }
        if (file != null) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("source " + source.id() + ": cannot read the " + name + " file ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return null;
    }
}
