package org.celltrial.adapter.mapping;

/** Entry point of the mapping layer: the compiled mappings plus settings, handing out one session per delivery. */
public final class MappingEngine {

    private volatile MappingSet mappings;
    private final String zone;

    /**
     * @param zone the UTC offset given to SDTM times, which carry none: {@code Z} or {@code ±hh:mm}. FHIR needs
     *             an offset in the value itself, so a region name (Asia/Tehran) cannot be used here.
     */
    public MappingEngine(MappingSet mappings, String zone) {
        if (zone == null || !zone.matches("Z|[+-](0\\d|1[0-4]):[0-5]\\d")) {
            throw new IllegalArgumentException("time zone '" + zone + "' (celltrial.ingest.timezone) must be Z or a UTC"
                    + " offset such as +03:30; region names such as Asia/Tehran are not supported");
        }
        this.mappings = mappings;
        this.zone = zone;
    }

    public MappingSet mappings() {
        return mappings;
    }

    /** Swaps in newly compiled mappings (e.g. after a fix); sessions already running keep the old ones. */
    public void replaceMappings(MappingSet newMappings) {
        this.mappings = newMappings;
    }

    public MappingSession newSession(SubjectDirectory directory) {
        return new MappingSession(mappings, directory, zone);
    }

    /** A session with the given mappings: a run that took them at its start keeps them even if they are reloaded. */
    public MappingSession newSession(MappingSet with, SubjectDirectory directory) {
        return new MappingSession(with, directory, zone);
    }
}
