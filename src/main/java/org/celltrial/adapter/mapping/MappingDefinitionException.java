package org.celltrial.adapter.mapping;

/** A broken mapping file: stops start-up with the file, line and reason. */
public class MappingDefinitionException extends RuntimeException {

    public MappingDefinitionException(String file, int line, String reason) {
        super(file + ":" + line + ": " + reason);
    }

    public MappingDefinitionException(String file, int line, String reason, Throwable cause) {
        super(file + ":" + line + ": " + reason, cause);
    }
}
