package org.celltrial.adapter.mapping;

/** Entry point of the mapping layer: the compiled mappings plus settings, handing out one session per delivery. */
public final class MappingEngine {

    private final MappingSet mappings;
    private final String zone;

    public MappingEngine(MappingSet mappings, String zone) {
        this.mappings = mappings;
        this.zone = zone;
    }

    public MappingSet mappings() {
        return mappings;
    }

    public MappingSession newSession(SubjectDirectory directory) {
        return new MappingSession(directory, zone);
    }
}
