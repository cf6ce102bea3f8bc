package org.celltrial.adapter.server;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.reindex.ReindexJobParameters;
import ca.uhn.fhir.batch2.model.JobInstanceStartRequest;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
 * written to fixed ids ({@value #ID_PREFIX}…), so an unchanged selection writes no new versions, and a copy that a
 * changed selection no longer needs is set back to FHIR's definition. When a type gains a parameter, one HAPI reindex
 * job indexes its stored resources in the background (HAPI's own per-SearchParameter reindex is suppressed: it would
 * start a job per parameter for all its bases, even on an empty database). A search on a parameter not
 * indexed is answered with HAPI's "unknown search parameter" error, which lists those that are.
 *
 * <p>A standard reference parameter that reads the same element as a selected one (Procedure {@code subject} beside
 * {@code patient}) is kept too, with the selected one's expression for that type, so that it is answered from the rows
 * already written ({@link SharedReferenceRows}); it needs no reindex.
 */
@Component
@Order(-1)
public class SearchParameterSelection implements ApplicationRunner {

    static final String ID_PREFIX = "celltrial-sp-";
    /** HAPI's request flag that stops its own reindex on a SearchParameter change, and its reindex job. */
    private static final String SKIP_REINDEX = "SKIP-REINDEX-ON-UPDATE";
    private static final String REINDEX_JOB = "REINDEX";
    private static final Logger log = LoggerFactory.getLogger(SearchParameterSelection.class);
    private static final Set<String> EVERY_TYPE = Set.of("Resource", "DomainResource");

    private final FhirContext ctx;
    private final DaoRegistry daoRegistry;
    private final SearchParamRegistryImpl registry;
    private final FhirServerProperties props;
    private final IJobCoordinator jobs;
    private final TransactionTemplate tx;

    public SearchParameterSelection(FhirContext ctx, DaoRegistry daoRegistry, SearchParamRegistryImpl registry,
                                    FhirServerProperties props, IJobCoordinator jobs, PlatformTransactionManager txManager) {
        this.ctx = ctx;
        this.daoRegistry = daoRegistry;
        this.registry = registry;
        this.props = props;
        this.jobs = jobs;
        this.tx = new TransactionTemplate(txManager);
    }

    @Override
    public void run(ApplicationArguments args) {
        IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
        List<SearchParameter> fhir = coreSearchParameters();
        Map<String, SearchParameter> core = new LinkedHashMap<>();
        fhir.forEach(sp -> core.put(ID_PREFIX + sp.getIdElement().getIdPart(), sp));
        Map<String, SearchParameter> stored = new LinkedHashMap<>();
        for (IBaseResource r : dao.search(SearchParameterMap.newSynchronous(), new SystemRequestDetails()).getAllResources()) {
            if (r.getIdElement().getIdPart().startsWith(ID_PREFIX)) {
                stored.put(r.getIdElement().getIdPart(), (SearchParameter) r);
            }
        }
        // what to store: the overrides of the selection, and FHIR's own definition for an override no longer needed
        // (set back rather than deleted, so the stored state says what is indexed)
        Map<String, SearchParameter> target = new LinkedHashMap<>();
        overrides(ctx, fhir, props.searchParameters()).forEach(sp -> target.put(sp.getIdElement().getIdPart(), sp));
        stored.keySet().stream().filter(id -> !target.containsKey(id) && core.containsKey(id))
                .forEach(id -> target.put(id, asStored(core.get(id), id)));

        // HAPI would start a reindex job per changed SearchParameter, for all its bases, even on an empty database;
        // we start one, only for the types that gain a parameter (narrowing leaves unused index rows, harmless).
        // The SearchParameters and the job commit together: a stop in between cannot leave a gain unindexed.
        Map<String, Map<String, String>> siblings = SharedReferenceRows.siblings(fhir, props.searchParameters());
        SystemRequestDetails noReindex = new SystemRequestDetails();
        noReindex.getUserData().put(SKIP_REINDEX, Boolean.TRUE);
        Set<String> gained = new TreeSet<>();
        int[] changed = {0};
        tx.executeWithoutResult(status -> {
            for (Map.Entry<String, SearchParameter> e : target.entrySet()) {
                SearchParameter before = stored.getOrDefault(e.getKey(), core.get(e.getKey()));
                if (stored.containsKey(e.getKey()) && sameDefinition(stored.get(e.getKey()), e.getValue())) {
                    continue;
                }
                if (!dao.update(e.getValue(), noReindex).isNop()) {
                    changed[0]++;
                    Set<String> now = new TreeSet<>(activeBases(e.getValue()));
                    now.removeAll(activeBases(before));
                    // a parameter served from rows another one writes needs no reindex: the rows are there
                    now.removeIf(type -> siblings.getOrDefault(type, Map.of()).containsKey(e.getValue().getCode()));
                    gained.addAll(now);
                }
            }
            // an override of a parameter FHIR's definitions no longer have (after an upgrade) has nothing to go back to
            for (String id : stored.keySet()) {
                if (!core.containsKey(id)) {
                    dao.delete(new IdType("SearchParameter", id), noReindex);
                    changed[0]++;
                }
            }
            if (!gained.isEmpty()) {
                ReindexJobParameters params = new ReindexJobParameters();
                gained.forEach(type -> params.addUrl(type + "?"));
                JobInstanceStartRequest request = new JobInstanceStartRequest();
                request.setJobDefinitionId(REINDEX_JOB);
                request.setParameters(params);
                jobs.startInstance(new SystemRequestDetails(), request);
            }
        });
        registry.forceRefresh();
        log.info("Search parameters: {} types indexed selectively; {} overrides of FHIR's definitions; {} changed now;"
                + " reindexing {}", props.searchParameters().size(), target.size(), changed[0], gained.isEmpty() ? "nothing" : gained);
    }

    private static boolean sameDefinition(SearchParameter a, SearchParameter b) {
        SearchParameter x = a.copy(), y = b.copy();
        for (SearchParameter sp : List.of(x, y)) {
            sp.setMeta(null);
            sp.setId((String) null);
            sp.setText(null);
        }
        return x.equalsDeep(y);
    }

    private static List<String> activeBases(SearchParameter sp) {
        return sp == null || sp.getStatus() == Enumerations.PublicationStatus.RETIRED ? List.of() : bases(sp);
    }

    /**
     * The SearchParameters that narrow FHIR's core ones to the selection. Fails on a type or code FHIR R4 does not
     * define, naming it, so a typo in application.yaml stops the start instead of silently indexing nothing.
     */
    static List<SearchParameter> overrides(FhirContext ctx, Map<String, List<String>> selection) {
        return overrides(ctx, coreSearchParameters(), selection);
    }

    private static List<SearchParameter> overrides(FhirContext ctx, List<SearchParameter> core,
                                                   Map<String, List<String>> selection) {
        Map<String, Set<String>> keep = new LinkedHashMap<>();
        selection.forEach((type, codes) -> {
            if (!ctx.getResourceTypes().contains(type)) {
                throw new IllegalStateException("celltrial.fhir.search-parameters: '" + type + "' is not a FHIR R4 resource type");
            }
            Map<String, SearchParameter> known = new java.util.TreeMap<>();
            core.stream().filter(sp -> bases(sp).contains(type)).forEach(sp -> known.put(sp.getCode(), sp));
            for (String code : codes) {
                if (code.startsWith("_")) {
                    throw new IllegalStateException("celltrial.fhir.search-parameters." + type + ": '" + code
                            + "' need not be listed: _id, _lastUpdated, _profile, _tag and _security are always indexed");
                }
                if (!known.containsKey(code)) {
                    throw new IllegalStateException("celltrial.fhir.search-parameters." + type + ": '" + code
                            + "' is not a search parameter of " + type + " in FHIR R4 (known: " + String.join(", ", known.keySet()) + ")");
                }
            }
            // a composite parameter is indexed from its components: they must stay
            for (String code : codes) {
                for (SearchParameter.SearchParameterComponentComponent c : known.get(code).getComponent()) {
                    core.stream().filter(sp -> sp.getUrl().equals(c.getDefinition())).findFirst()
                            .filter(component -> bases(component).contains(type) && !codes.contains(component.getCode()))
                            .ifPresent(component -> {
                                throw new IllegalStateException("celltrial.fhir.search-parameters." + type + ": '" + code
                                        + "' is built from '" + component.getCode() + "', which must be listed too");
                            });
                }
            }
            keep.put(type, Set.copyOf(codes));
        });
        Map<String, Map<String, String>> siblings = SharedReferenceRows.siblings(core, keep);
        List<SearchParameter> out = new ArrayList<>();
        for (SearchParameter sp : core) {
            List<String> bases = bases(sp);
            if (bases.isEmpty() || bases.stream().anyMatch(EVERY_TYPE::contains)) {
                continue; // _id, _lastUpdated, _profile, ...: HAPI treats these itself
            }
            List<String> servedFromRows = bases.stream()
                    .filter(b -> siblings.getOrDefault(b, Map.of()).containsKey(sp.getCode())).toList();
            List<String> kept = bases.stream().filter(b -> !keep.containsKey(b) || keep.get(b).contains(sp.getCode())
                    || servedFromRows.contains(b)).toList();
            if (kept.size() == bases.size() && servedFromRows.isEmpty()) {
                continue;
            }
            SearchParameter copy = asStored(sp, ID_PREFIX + sp.getIdElement().getIdPart());
            if (kept.isEmpty()) {
                copy.setStatus(Enumerations.PublicationStatus.RETIRED);
            } else {
                copy.setStatus(Enumerations.PublicationStatus.ACTIVE);
                copy.setBase(kept.stream().map(CodeType::new).toList());
            }
            for (String type : servedFromRows) {
                copy.setExpression(SharedReferenceRows.withAlternative(copy, type, siblings.get(type).get(sp.getCode())));
            }
            out.add(copy);
        }
        return out;
    }

    private static SearchParameter asStored(SearchParameter core, String id) {
        SearchParameter copy = core.copy();
        copy.setId(new IdType("SearchParameter", id));
        copy.setMeta(null);
        copy.setText(null);
        copy.setStatus(Enumerations.PublicationStatus.ACTIVE);
        return copy;
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
