package org.celltrial.adapter.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Parses FHIR R4's core StructureDefinitions on a second thread as the application starts, while the main thread
 * builds Hibernate: HAPI's search-parameter extractor needs them before the first request (its FHIRPath engine
 * lists all types) and parsed them on the main thread, ~1.8 s of a fast start.
 * <p>
 * HAPI-COUPLING: {@link DefaultProfileValidationSupport} keeps the parsed definitions in a static strategy per FHIR
 * version, shared by every instance of any FhirContext of that version; {@code HapiUpgradeCanaryTest} checks that two
 * instances of different contexts still hand out the same parsed objects (else this preload is wasted work).
 */
public class CoreDefinitionsPreload implements ApplicationListener<ApplicationStartingEvent> {

    private static final Logger log = LoggerFactory.getLogger(CoreDefinitionsPreload.class);

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        Thread t = new Thread(CoreDefinitionsPreload::preload, "r4-definitions-preload");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    static void preload() {
        try {
            new DefaultProfileValidationSupport(FhirContext.forR4Cached()).fetchAllStructureDefinitions();
        } catch (RuntimeException | LinkageError e) {
            // only an optimisation: whoever needs them parses them again and reports what goes wrong
            log.debug("R4 definitions not preloaded: {}", e.toString());
        }
    }
}
