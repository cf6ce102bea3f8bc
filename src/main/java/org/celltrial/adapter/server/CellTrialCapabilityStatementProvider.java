package org.celltrial.adapter.server;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.annotation.Metadata;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.servlet.http.HttpServletRequest;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

import java.util.List;
import java.util.function.Supplier;

/**
 * HAPI's JPA CapabilityStatement, post-processed by the {@link CapabilityStatementCustomizer}s and cached here, so
 * that it can be rebuilt when what it describes changes ({@link #refresh()}): HAPI's own cache kept the statement of
 * the first request, which on a fresh start comes before our IG's profiles are installed, and rebuilt it from caches
 * that still lacked them.
 *
 * <p>HAPI-COUPLING: RestfulServer binds the last {@code @Metadata} method it finds scanning the class hierarchy from
 * the top, so this override's {@code cacheMillis = 0} turns HAPI's cache (ConformanceMethodBinding) off; HAPI's
 * generation reads supported profiles from the validation support chain, whose caches {@link #refresh()} clears.
 */
public class CellTrialCapabilityStatementProvider extends JpaCapabilityStatementProvider {

    /** Resource counts in the statement are as old as this at most (HAPI's own default). */
    static final long MAX_AGE_MS = 60_000;

    private final Supplier<List<CapabilityStatementCustomizer>> customizers;
    private final IValidationSupport validationSupport;
    private volatile Cached cached;

    private record Cached(CapabilityStatement statement, long builtAt, long generation) {
    }

    private volatile long generation;

    public CellTrialCapabilityStatementProvider(RestfulServer server, IFhirSystemDao<?, ?> systemDao,
                                                JpaStorageSettings storageSettings, ISearchParamRegistry searchParamRegistry,
                                                IValidationSupport validationSupport,
                                                Supplier<List<CapabilityStatementCustomizer>> customizers) {
        super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        this.validationSupport = validationSupport;
        this.customizers = customizers;
    }

    @Override
    @Metadata(cacheMillis = 0)
    public IBaseConformance getServerConformance(HttpServletRequest request, RequestDetails details) {
        Cached c = cached;
        long now = System.currentTimeMillis();
        if (c == null || c.generation() != generation || now - c.builtAt() > MAX_AGE_MS) {
            long building = generation;
            CapabilityStatement statement = (CapabilityStatement) super.getServerConformance(request, details);
            for (CapabilityStatementCustomizer customizer : customizers.get()) {
                customizer.customize(statement);
            }
            c = new Cached(statement, now, building);
            cached = c;
        }
        // a copy: HAPI's interceptors may change what they are given
        return c.statement().copy();
    }

    /**
     * The next request builds the statement anew, from fresh profiles and search parameters: called once they are
     * installed (a statement being built meanwhile is not kept).
     */
    public synchronized void refresh() {
        validationSupport.invalidateCaches();
        generation++;
        cached = null;
    }
}
