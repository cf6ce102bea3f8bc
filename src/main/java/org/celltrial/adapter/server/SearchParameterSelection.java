package org.celltrial.adapter.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Indexes only the search parameters configured for the types we store ({@code celltrial.fhir.search-parameters}
 * in application.yaml); types not listed keep all of FHIR's.
 *
 * <p>Why: HAPI extracts and writes index rows for every search parameter FHIR defines for a type (~20 for a
 * Procedure), which was about a quarter of its write time (docs/benchmarks.md), while our users search a few.
 *
 * <p>How, with HAPI's own mechanism: a stored SearchParameter with the url of a built-in one overrides it. For each
 * core search parameter that a listed type does not keep, we store a copy of it whose base list lacks that type
 * ({@code active}), or, if no base is left, one that is {@code retired} (HAPI drops it everywhere). Copies are
 * written to fixed ids ({@value #ID_PREFIX}…), so an unchanged selection writes no new versions, and copies that a
 * changed selection no longer needs are deleted, which brings the built-in back. A search on a parameter not
 * indexed is answered with HAPI's "unknown search parameter" error, which lists those that are.
 */
@Component
@Order(-1)
public class SearchParameterSelection implements ApplicationRunner {

    static final String ID_PREFIX = "celltrial-sp-";
    private static final Logger log = LoggerFactory.getLogger(SearchParameterSelection.class);
    private static final Set<String> EVERY_TYPE = Set.of("Resource", "DomainResource");

    private final FhirContext ctx;
    private final DaoRegistry daoRegistry;
    private final SearchParamRegistryImpl registry;
    private final FhirServerProperties props;

    public SearchParameterSelection(FhirContext ctx, DaoRegistry daoRegistry, SearchParamRegistryImpl registry,
                                    FhirServerProperties props) {
        this.ctx = ctx;
        this.daoRegistry = daoRegistry;
        this.registry = registry;
        this.props = props;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<SearchParameter> overrides = overrides(ctx, props.searchParameters());
        IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
        Set<String> wanted = new LinkedHashSet<>();
        for (SearchParameter sp : overrides) {
            dao.update(sp, new SystemRequestDetails());
            wanted.add(sp.getIdElement().getIdPart());
        }
        int removed = 0;
        IBundleProvider stored = dao.search(SearchParameterMap.newSynchronous(), new SystemRequestDetails());
        for (IBaseResource r : stored.getAllResources()) {
            String id = r.getIdElement().getIdPart();
            if (id.startsWith(ID_PREFIX) && !wanted.contains(id)) {
                dao.delete(new IdType("SearchParameter", id), new SystemRequestDetails());
                removed++;
            }
        }
        registry.forceRefresh();
        log.info("Search parameters: {} types indexed selectively ({} built-in parameters narrowed or retired, {} restored)",
                props.searchParameters().size(), overrides.size(), removed);
    }

    /**
     * The SearchParameters that narrow FHIR's core ones to the selection. Fails on a type or code FHIR R4 does not
     * define, naming it, so a typo in application.yaml stops the start instead of silently indexing nothing.
     */
    static List<SearchParameter> overrides(FhirContext ctx, Map<String, List<String>> selection) {
        List<SearchParameter> core = coreSearchParameters();
        Map<String, Set<String>> keep = new LinkedHashMap<>();
        selection.forEach((type, codes) -> {
            if (!ctx.getResourceTypes().contains(type)) {
                throw new IllegalStateException("celltrial.fhir.search-parameters: '" + type + "' is not a FHIR R4 resource type");
            }
            Set<String> known = new TreeSet<>();
            core.stream().filter(sp -> bases(sp).contains(type)).forEach(sp -> known.add(sp.getCode()));
            for (String code : codes) {
                if (!known.contains(code)) {
                    throw new IllegalStateException("celltrial.fhir.search-parameters." + type + ": '" + code
                            + "' is not a search parameter of " + type + " in FHIR R4 (known: " + String.join(", ", known) + ")");
                }
            }
            keep.put(type, Set.copyOf(codes));
        });
        List<SearchParameter> out = new ArrayList<>();
        for (SearchParameter sp : core) {
            List<String> bases = bases(sp);
            if (bases.isEmpty() || bases.stream().anyMatch(EVERY_TYPE::contains)) {
                continue; // _id, _lastUpdated, _profile, ...: HAPI treats these itself
            }
            List<String> kept = bases.stream()
                    .filter(b -> !keep.containsKey(b) || keep.get(b).contains(sp.getCode())).toList();
            if (kept.size() == bases.size()) {
                continue;
            }
            SearchParameter copy = sp.copy();
            copy.setId(new IdType("SearchParameter", ID_PREFIX + sp.getIdElement().getIdPart()));
            copy.setMeta(null);
            copy.setText(null);
            if (kept.isEmpty()) {
                copy.setStatus(Enumerations.PublicationStatus.RETIRED);
            } else {
                copy.setStatus(Enumerations.PublicationStatus.ACTIVE);
                copy.setBase(kept.stream().map(CodeType::new).toList());
            }
            out.add(copy);
        }
        return out;
    }

    /** FHIR R4's search parameters, as HAPI's registry reads them. */
    private static List<SearchParameter> coreSearchParameters() {
        List<SearchParameter> out = new ArrayList<>();
        for (IBaseResource r : FhirContext.forR4Cached().getValidationSupport().fetchAllSearchParameters()) {
            out.add((SearchParameter) r);
        }
        return out;
    }

    private static List<String> bases(SearchParameter sp) {
        return sp.getBase().stream().map(CodeType::getCode).toList();
    }
}
