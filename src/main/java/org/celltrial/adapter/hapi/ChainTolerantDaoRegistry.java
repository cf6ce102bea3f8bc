package org.celltrial.adapter.hapi;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * HAPI's DAO registry, but HAPI's chained-search builder gets null, not an exception, for a resource type without a
 * DAO (a type not served, {@link ServedResourceTypes}), as that builder expects.
 *
 * <p>HAPI-COUPLING: for an unqualified chain ({@code Observation?subject.identifier=...}) HAPI's
 * {@value #CHAIN_BUILDER} asks {@code getResourceDao(String)} for every type the reference may point at and skips
 * those for which it gets null ("Don't have a DAO for type"); {@link DaoRegistry#getResourceDao(String)} throws for
 * them instead (HAPI-0572), so with only some types served such a search answered 400. A chain that names only an
 * unserved type ({@code subject:Location.name}) still answers 400 (HAPI's "invalid parameter chain"), and every other
 * caller still gets the exception. {@code HapiUpgradeCanaryIT}
 * runs such a chain with a list of types and checks that it finds its match; {@code HapiUpgradeCanaryTest} that the
 * builder is still there under its name.
 */
public class ChainTolerantDaoRegistry extends DaoRegistry {

    static final String CHAIN_BUILDER = "ca.uhn.fhir.jpa.search.builder.predicate.ResourceLinkPredicateBuilder";
    private static final StackWalker STACK = StackWalker.getInstance();

    public ChainTolerantDaoRegistry(FhirContext fhirContext) {
        super(fhirContext);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public IFhirResourceDao getResourceDao(String theResourceName) {
        IFhirResourceDao<IBaseResource> dao = getResourceDaoOrNull(theResourceName);
        if (dao == null && calledByChainBuilder()) {
            return null;
        }
        return super.getResourceDao(theResourceName);
    }

    /** Whether the first caller outside this class is HAPI's chained-search builder (only asked when a DAO is missing). */
    static boolean calledByChainBuilder() {
        return STACK.walk(frames -> frames
                .dropWhile(f -> f.getClassName().equals(ChainTolerantDaoRegistry.class.getName()))
                .findFirst()
                .map(f -> f.getClassName().equals(CHAIN_BUILDER))
                .orElse(false));
    }
}
