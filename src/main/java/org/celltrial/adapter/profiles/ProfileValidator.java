package org.celltrial.adapter.profiles;

import org.celltrial.adapter.hapi.SeenCodings;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.util.ResourceUtil;
import ca.uhn.fhir.util.XmlUtil;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates resources against our profiles ({@link CellTrialPackage}), offline, with the same findings as the stock
 * HAPI path ({@code FhirValidator} + {@link FhirInstanceValidator} over {@link ValidationSupports#chain}), but fast.
 *
 * <p>Why the stock path is slow: {@code FhirInstanceValidator} builds a new HL7 {@link InstanceValidator} for every
 * call, and the constructor of InstanceValidator reads the 1.5 MB {@code oidregistry.csv} from the classpath
 * (OIDUtilities) and sets up a FHIRPath engine and profile utilities; that is ~10 ms per call, far more than
 * validating a small resource. A naive integration that also builds a new FhirValidator per call additionally gets a
 * new worker context each time. Here the worker context is built once and every thread borrows a long-lived,
 * identically configured InstanceValidator from a pool (InstanceValidator clears its per-validation state at the start
 * of each validation), except the list of codings its coding observer has seen, which we empty after each
 * validation (see {@code forgetSeenCodings}). The rest of the per-call work is what the stock path does, in the same order (encode to
 * JSON, parse into the validator's element model, validate, filter messages), so the findings are the same.
 *
 * <p>Profiles: the resource's {@code meta.profile}; plus, if it has none, our profile for its type
 * ({@link CellTrialPackage#defaultProfile}); or a forced profile from {@link #validate(IBaseResource, String)}.
 *
 * <p>Thread-safe; build one and share it. {@link #close()} stops the pool of {@link #validateAll}.
 */
public final class ProfileValidator implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProfileValidator.class);

    /** Validations after which a pooled InstanceValidator is replaced anyway (small caches it keeps, e.g. crLookups). */
    static final int RECYCLE_AFTER = 20_000;

    private final FhirContext ctx;
    private final CellTrialPackage pkg;
    private final IValidationSupport support;
    private final CachingWorkerContext worker;
    private final FhirInstanceValidator settings;
    private final ConcurrentLinkedQueue<Engine> engines = new ConcurrentLinkedQueue<>();
    private final int threads;
    private volatile ExecutorService pool;

    /** Findings by validation shape ({@link ValidationShape}); bounded, cleared when full. */
    private final ConcurrentHashMap<String, Known> shapes = new ConcurrentHashMap<>();
    /** Which profiles and extensions let resources share findings ({@link ReuseRules}). */
    private final ReuseRules rules;
    /** Our extensions: their string values may be free in a shape (if {@link #rules} allow the extension). */
    private final java.util.Set<String> ourExtensions;
    /**
     * Our code systems the validator knows no code of (no CodeSystem it can fetch, not named by our package), by url:
     * their codes may be free in a shape (the study tag's, whose codes are STUDYIDs).
     */
    private final ConcurrentHashMap<String, Boolean> freeCodeSystems = new ConcurrentHashMap<>();
    /** Systems our ValueSets list or our profiles fix or pattern a coding of: the validator compares their codes. */
    private final java.util.Set<String> systemsOurPackageNames;
    private volatile boolean reuseShapes;
    private final AtomicLong shapeHits = new AtomicLong();
    private final AtomicLong shapeMisses = new AtomicLong();
    private final AtomicLong shapeChecks = new AtomicLong();
    /** Sampled checks (not those of a shape's first reuses) that agreed. */
    private final AtomicLong shapeChecksAgreed = new AtomicLong();
    private final AtomicLong sampledReuses = new AtomicLong();
    /**
     * By default the first {@link #CHECK_FIRST} reuses of every shape are validated anyway and compared with the
     * findings reused: a gap in the shape shows on the first resources that differ from the one validated in a value
     * the shape left out, whichever shape it is in (a sample over all shapes would rarely hit a shape that few
     * resources have). {@code celltrial.validation.checks-per-shape} sets another number (docs/benchmarks.md weighs it).
     */
    static final int CHECK_FIRST = 2;
    private final int checksPerShape;
    /**
     * After a shape's first reuses, one reuse in this many (over all shapes) is validated anyway and compared: a
     * difference turns reuse off for good. Once {@link #TRUSTED_AFTER} of these sampled checks have agreed, one in
     * {@link #VERIFY_EVERY_TRUSTED}: the early checks find a gap in the shape that many resources share; the later
     * ones watch for data that arrives later, and cost a full validation each (at one in 64 they were ~7 % of an ingest
     * worker's CPU, docs/benchmarks.md).
     */
    static final int VERIFY_EVERY = 64;
    static final int TRUSTED_AFTER = 256;
    static final int VERIFY_EVERY_TRUSTED = 512;
    static final int MAX_SHAPES = 20_000;

    private ProfileValidator(FhirContext ctx, CellTrialPackage pkg, int threads, boolean reuseShapes, int checksPerShape) {
        if (checksPerShape < 0) {
            throw new IllegalArgumentException("checks per shape must be 0 or more, not " + checksPerShape);
        }
        this.checksPerShape = checksPerShape;
        this.ctx = ctx;
        this.pkg = pkg;
        this.threads = Math.max(1, threads);
        this.support = ValidationSupports.chain(ctx, pkg);
        // the stock module with its default settings: our InstanceValidators copy its configuration
        this.settings = new FhirInstanceValidator(support);
        this.worker = new CachingWorkerContext(support);
        this.reuseShapes = reuseShapes;
        this.rules = new ReuseRules(worker);
        java.util.Set<String> extensions = new java.util.HashSet<>();
        for (IBaseResource r : pkg.conformanceResources()) {
            if (r instanceof org.hl7.fhir.r4.model.StructureDefinition sd && "Extension".equals(sd.getType())) {
                extensions.add(sd.getUrl());
            }
        }
        this.ourExtensions = java.util.Set.copyOf(extensions);
        java.util.Set<String> named = new java.util.HashSet<>();
        for (IBaseResource r : pkg.conformanceResources()) {
            if (r instanceof org.hl7.fhir.r4.model.ValueSet vs) {
                vs.getCompose().getInclude().forEach(i -> named.add(i.getSystem()));
                vs.getCompose().getExclude().forEach(i -> named.add(i.getSystem()));
                vs.getExpansion().getContains().forEach(c -> named.add(c.getSystem()));
            } else if (r instanceof org.hl7.fhir.r4.model.StructureDefinition sd) {
                java.util.List<org.hl7.fhir.r4.model.ElementDefinition> elements = new ArrayList<>(sd.getSnapshot().getElement());
                elements.addAll(sd.getDifferential().getElement());
                for (org.hl7.fhir.r4.model.ElementDefinition ed : elements) {
                    systemsIn(ed.getFixed(), named);
                    systemsIn(ed.getPattern(), named);
                }
            }
        }
        this.systemsOurPackageNames = java.util.Set.copyOf(named.stream().filter(Objects::nonNull).toList());
    }

    /** The values of every {@code system} in a fixed value or pattern (a Coding's, a CodeableConcept's codings'...). */
    static void systemsIn(org.hl7.fhir.r4.model.Base value, java.util.Set<String> into) {
        if (value == null) {
            return;
        }
        for (org.hl7.fhir.r4.model.Property p : value.children()) {
            for (org.hl7.fhir.r4.model.Base child : p.getValues()) {
                if (p.getName().equals("system") && child.isPrimitive()) {
                    into.add(child.primitiveValue());
                } else if (!child.isPrimitive()) {
                    systemsIn(child, into);
                }
            }
        }
    }

    /** Whether the codes of {@code system} may be free in a shape: ours, and no definition or value set knows its codes. */
    boolean freeCodeSystem(String system) {
        if (!system.startsWith(CellTrialPackage.CANONICAL_BASE + "/CodeSystem/")) {
            return false;
        }
        Boolean known = freeCodeSystems.get(system);
        if (known == null) {
            known = !systemsOurPackageNames.contains(system) && support.fetchCodeSystem(system) == null;
            if (freeCodeSystems.size() < MAX_CODE_SYSTEMS) { // resources sent to $validate may name any number
                freeCodeSystems.put(system, known);
            }
        }
        return known;
    }

    private static final int MAX_CODE_SYSTEMS = 1_000;

    /** The findings of a shape, and how often they were given for another resource. */
    private record Known(ValidationResult result, AtomicInteger reuses, List<String> codes) {

        /** The findings for a resource of the shape whose free codes are {@code theirs}. */
        ValidationResult forCodes(List<String> theirs) {
            return theirs.equals(codes) ? result : FreeCodes.requote(result, codes, theirs);
        }
    }

    /** A validator for our package with one validation thread per core for {@link #validateAll}. */
    public static ProfileValidator create(FhirContext ctx, CellTrialPackage pkg) {
        return create(ctx, pkg, Runtime.getRuntime().availableProcessors());
    }

    /** A validator with {@code threads} threads for {@link #validateAll}; pre-warmed (all our profiles validated once). */
    public static ProfileValidator create(FhirContext ctx, CellTrialPackage pkg, int threads) {
        return create(ctx, pkg, threads, true);
    }

    /**
     * As {@link #create(FhirContext, CellTrialPackage, int)}; {@code reuseShapes} lets resources of the same validation
     * shape share one validation (see {@link ValidationShape}). Resources of a profile that reads values beyond what the
     * shape keeps (an invariant not known to be safe, value limits, fixed values, bound strings: {@link ReuseRules}), or
     * that carry such an extension, are each validated themselves; the profiles and extensions of our package that do
     * are named in the log at start, one line each.
     */
    public static ProfileValidator create(FhirContext ctx, CellTrialPackage pkg, int threads, boolean reuseShapes) {
        return create(ctx, pkg, threads, reuseShapes, CHECK_FIRST);
    }

    /** As {@link #create(FhirContext, CellTrialPackage, int, boolean)}, checking the first {@code checksPerShape} reuses of every shape. */
    public static ProfileValidator create(FhirContext ctx, CellTrialPackage pkg, int threads, boolean reuseShapes,
                                          int checksPerShape) {
        ProfileValidator v = new ProfileValidator(ctx, pkg, threads, reuseShapes, checksPerShape);
        v.warmUp();
        if (reuseShapes) {
            v.logRefusals();
        }
        return v;
    }

    /** One log line per profile or extension of our package whose resources are not reused, and why. */
    private void logRefusals() {
        for (IBaseResource r : pkg.conformanceResources()) {
            if (r instanceof org.hl7.fhir.r4.model.StructureDefinition sd) {
                String why = rules.refusal(sd.getUrl());
                if (why != null) {
                    log.warn("Validation shapes are not reused for resources {} {}: it has {}, not known to read values only as "
                                    + "the shape keeps them (ReuseRules); each of them is validated in full",
                            "Extension".equals(sd.getType()) ? "carrying the extension" : "of the profile", sd.getUrl(), why);
                }
            }
        }
    }

    /** Why resources validated against {@code url} (a profile or extension) are not reused, or null (tests). */
    String reuseRefusal(String url) {
        return rules.refusal(url);
    }

    /** Resources validated (their shape seen before: findings reused; new shape; reuses validated anyway to check). */
    public record ShapeStats(long reused, long validated, long checked, boolean enabled) {
    }

    /** Forgets the known shapes (benchmarks: each pass starts cold). */
    public void forgetShapes() {
        shapes.clear();
    }

    public ShapeStats shapeStats() {
        return new ShapeStats(shapeHits.get(), shapeMisses.get(), shapeChecks.get(), reuseShapes);
    }

    public FhirContext fhirContext() {
        return ctx;
    }

    public CellTrialPackage profilePackage() {
        return pkg;
    }

    /** The validation support chain this validator uses (cached; shared by all threads). */
    public IValidationSupport validationSupport() {
        return support;
    }

    public int threads() {
        return threads;
    }

    /** Validates against meta.profile, or our profile for the resource type if it has none. */
    public ValidationResult validate(IBaseResource resource) {
        return validate(resource, null);
    }

    /**
     * Validates against {@code profile} (if not null) and meta.profile; with neither, against our profile for the
     * resource type (and the base definition if we have none).
     */
    public ValidationResult validate(IBaseResource resource, String profile) {
        Objects.requireNonNull(resource, "resource");
        List<String> declared = new ArrayList<>();
        if (resource.getMeta() != null) {
            for (IPrimitiveType<String> p : resource.getMeta().getProfile()) {
                if (p.getValue() != null) {
                    declared.add(p.getValue());
                }
            }
        }
        String extra = extraProfile(ctx.getResourceType(resource), declared, profile);
        String raw = ResourceUtil.getRawStringFromResourceOrNull(resource);
        EncodingEnum encoding = Objects.requireNonNullElse(ResourceUtil.getEncodingTypeFromUserData(resource), EncodingEnum.JSON);
        // the shape comes first: a reused validation needs no encoding either
        ValidationShape shape = null;
        if (reuseShapes && raw == null && encoding == EncodingEnum.JSON && resource instanceof org.hl7.fhir.r4.model.Resource r4) {
            List<String> profiles = extra == null ? declared : prepend(extra, declared);
            if (rulesAllow(r4.fhirType(), profiles)) {
                shape = ValidationShape.of(r4, profiles, rules::allows, ourExtensions::contains, rules::allowsType,
                        this::freeCodeSystem);
            }
        }
        String key = shape == null ? null : shape.key();
        Known known = key == null ? null : shapes.get(key);
        boolean sampled = false;
        if (known != null) {
            shapeHits.incrementAndGet();
            if (known.reuses().incrementAndGet() > checksPerShape) {
                if (!sampledCheck(sampledReuses.incrementAndGet(), shapeChecksAgreed.get())) {
                    return known.forCodes(shape.freeCodes());
                }
                sampled = true;
            } // one of the shape's first reuses: always checked
        }
        String text = raw != null ? raw : ctx.newJsonParser().encodeResourceToString(resource);
        if (encoding != EncodingEnum.JSON) {
            return validate(text, encoding, profile);
        }
        if (shape == null) {
            return run(text, encoding, extra, declared);
        }
        if (known != null) {
            shapeChecks.incrementAndGet();
            ValidationResult fresh = run(text, encoding, extra, declared);
            if (sameFindings(fresh, known.forCodes(shape.freeCodes()))) {
                if (sampled) {
                    shapeChecksAgreed.incrementAndGet();
                }
            } else {
                reuseShapes = false;
                shapes.clear();
                log.warn("A reused validation differed from a fresh one for a {}: reuse of validation shapes is now off",
                        resource.fhirType());
            }
            return fresh;
        }
        shapeMisses.incrementAndGet();
        ValidationResult fresh = run(text, encoding, extra, declared);
        if (!quotesAny(fresh, shape.freeValues()) && FreeCodes.quotedOnlyAsCodings(fresh, shape.freeCodes())) {
            if (shapes.size() >= MAX_SHAPES) {
                shapes.clear();
            }
            shapes.put(key, new Known(withoutPositions(fresh), new AtomicInteger(), List.copyOf(shape.freeCodes())));
        }
        return fresh;
    }

    /** Whether our rules let resources of this type, validated against these profiles, share findings by shape. */
    private boolean rulesAllow(String type, List<String> profiles) {
        for (String p : profiles) {
            if (!rules.allows(p)) {
                return false;
            }
        }
        return rules.allows("http://hl7.org/fhir/StructureDefinition/" + type);
    }

    /**
     * Whether the {@code reuse}-th reuse after the shapes' first ones (counted over all shapes) is validated anyway,
     * {@code agreed} of these sampled checks having agreed.
     */
    static boolean sampledCheck(long reuse, long agreed) {
        return reuse % (agreed < TRUSTED_AFTER ? VERIFY_EVERY : VERIFY_EVERY_TRUSTED) == 0;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    /** Same (severity, location, message) multiset: what "same findings" means throughout. */
    static boolean sameFindings(ValidationResult a, ValidationResult b) {
        return findingKeys(a).equals(findingKeys(b));
    }

    private static List<String> findingKeys(ValidationResult r) {
        return r.issues().stream().map(i -> i.severity() + "|" + i.location() + "|" + i.message()).sorted().toList();
    }

    /** Whether a message quotes a value the shape left out (it would be wrong for another resource of that shape). */
    private static boolean quotesAny(ValidationResult r, List<String> values) {
        for (ValidationResult.Issue i : r.issues()) {
            String m = i.message() == null ? "" : i.message();
            for (String v : values) {
                if (v.length() >= 4 ? m.contains(v) : m.contains("'" + v + "'") || m.contains("\"" + v + "\"")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Line and column point into one resource's text: not given for another's. */
    private static ValidationResult withoutPositions(ValidationResult r) {
        return new ValidationResult(r.issues().stream()
                .map(i -> new ValidationResult.Issue(i.severity(), i.location(), i.message(), i.messageId(), 0, 0)).toList());
    }

    /** Validates FHIR JSON or XML text (profiles as {@link #validate(IBaseResource)}). */
    public ValidationResult validate(String text, EncodingEnum encoding) {
        return validate(text, encoding, null);
    }

    /** Validates FHIR JSON or XML text, also against {@code profile} if not null. */
    public ValidationResult validate(String text, EncodingEnum encoding, String profile) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(encoding, "encoding");
        List<String> declared;
        String type;
        if (encoding == EncodingEnum.JSON) {
            JsonObject json;
            try {
                json = new Gson().fromJson(text, JsonObject.class);
            } catch (RuntimeException e) {
                return fatal("Failed to parse input, it does not appear to be valid JSON: " + e.getMessage());
            }
            if (json == null) {
                return fatal("Failed to parse input: no JSON object");
            }
            declared = jsonProfiles(json);
            type = json.has("resourceType") && json.get("resourceType").isJsonPrimitive() ? json.get("resourceType").getAsString() : null;
        } else if (encoding == EncodingEnum.XML) {
            Document doc;
            try {
                doc = XmlUtil.parseDocument(text);
            } catch (Exception e) {
                return fatal("Failed to parse input, it does not appear to be valid XML:" + e.getMessage());
            }
            declared = xmlProfiles(doc);
            type = doc.getDocumentElement() == null ? null : doc.getDocumentElement().getLocalName();
        } else {
            throw new IllegalArgumentException("unsupported encoding " + encoding + " (JSON and XML only)");
        }
        return run(text, encoding, extraProfile(type, declared, profile), declared);
    }

    /**
     * Validates many resources on this validator's threads; results in input order.
     * Single-resource calls from several threads are as fast; this is the convenience for a batch.
     */
    public List<ValidationResult> validateAll(List<? extends IBaseResource> resources) {
        int n = resources.size();
        ValidationResult[] results = new ValidationResult[n];
        if (threads == 1 || n < 2) {
            for (int i = 0; i < n; i++) {
                results[i] = validate(resources.get(i));
            }
            return List.of(results);
        }
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                results[i] = validate(resources.get(i));
            }
        };
        ExecutorService p = pool();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, n) - 1; t++) {
            futures.add(p.submit(work));
        }
        work.run(); // the calling thread works too
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return List.of(results);
    }

    @Override
    public void close() {
        ExecutorService p = pool;
        if (p != null) {
            p.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The profile validated in addition to meta.profile: the forced one, else our default when there is no meta.profile. */
    String extraProfile(String resourceType, List<String> declared, String forced) {
        if (forced != null) {
            return declared.contains(forced) ? null : forced;
        }
        if (!declared.isEmpty() || resourceType == null) {
            return null;
        }
        return pkg.defaultProfile(resourceType).orElse(null);
    }

    /** The profile the stock path must be given (ValidationOptions.addProfile) to validate what {@link #validate} does. */
    public String profileForStockPath(IBaseResource resource, String forced) {
        List<String> declared = new ArrayList<>();
        if (resource.getMeta() != null) {
            resource.getMeta().getProfile().forEach(p -> {
                if (p.getValue() != null) {
                    declared.add(p.getValue());
                }
            });
        }
        return extraProfile(ctx.getResourceType(resource), declared, forced);
    }

    /** What ValidatorWrapper.validate does, on a pooled InstanceValidator. */
    private ValidationResult run(String text, EncodingEnum encoding, String extra, List<String> declared) {
        List<StructureDefinition> profiles = new ArrayList<>();
        List<ValidationMessage> unknownProfiles = new ArrayList<>();
        if (extra != null) {
            addProfile(profiles, extra, unknownProfiles);
        }
        for (String url : declared) {
            addProfile(profiles, url, unknownProfiles);
        }
        List<ValidationMessage> messages = new ArrayList<>();
        Engine engine = borrow();
        boolean healthy = false;
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (encoding == EncodingEnum.JSON && profiles.stream().noneMatch(p -> p.getKind() == StructureDefinition.StructureDefinitionKind.LOGICAL)) {
                engine.validateJson(bytes, messages, profiles);
            } else {
                engine.validator.validate(null, messages, new ByteArrayInputStream(bytes),
                        encoding == EncodingEnum.XML ? Manager.FhirFormat.XML : Manager.FhirFormat.JSON, profiles);
            }
            healthy = true;
        } finally {
            if (healthy) {
                release(engine);
            } // an engine that threw is dropped: its state is unknown
        }
        if (profiles.isEmpty() && !unknownProfiles.isEmpty()) {
            messages.addAll(unknownProfiles);
        }
        List<ValidationResult.Issue> issues = new ArrayList<>(messages.size());
        for (ValidationMessage m : messages) {
            String id = m.getMessageId();
            if (id != null && (id.equals(I18nConstants.TERMINOLOGY_TX_BINDING_NOSOURCE)
                    || (id.equals(I18nConstants.TERMINOLOGY_TX_VALUESET_NOTFOUND)
                    && m.getMessage().contains("http://hl7.org/fhir/ValueSet/mimetypes")))) {
                continue;
            }
            if (I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN.equals(id) || I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY.equals(id)) {
                m.setLevel(settings.isErrorForUnknownProfiles() ? ValidationMessage.IssueSeverity.ERROR : ValidationMessage.IssueSeverity.WARNING);
            }
            issues.add(issue(m));
        }
        return new ValidationResult(issues);
    }

    /** As BaseValidatorBridge converts an HL7 message into a HAPI SingleValidationMessage. */
    private static ValidationResult.Issue issue(ValidationMessage m) {
        ValidationResult.Severity severity = m.getLevel() == null ? ValidationResult.Severity.INFORMATION : switch (m.getLevel()) {
            case FATAL -> ValidationResult.Severity.FATAL;
            case ERROR -> ValidationResult.Severity.ERROR;
            case WARNING -> ValidationResult.Severity.WARNING;
            default -> ValidationResult.Severity.INFORMATION;
        };
        String id = m.getMessageId() != null && !m.getMessageId().contains(" ") ? m.getMessageId() : null;
        return new ValidationResult.Issue(severity, m.getLocation(), m.getMessage(), id,
                Math.max(m.getLine(), 0), Math.max(m.getCol(), 0));
    }

    private void addProfile(List<StructureDefinition> profiles, String url, List<ValidationMessage> unknown) {
        try {
            StructureDefinition sd = worker.fetchResource(StructureDefinition.class, url);
            if (sd != null) {
                profiles.add(sd);
            } else {
                ValidationMessage m = new ValidationMessage();
                m.setMessageId(I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN);
                m.setLevel(ValidationMessage.IssueSeverity.ERROR);
                m.setMessage("Invalid profile. Failed to retrieve profile with url=" + url);
                unknown.add(m);
            }
        } catch (FHIRException e) {
            // as the stock path: ignored
        }
    }

    private static List<String> jsonProfiles(JsonObject json) {
        List<String> urls = new ArrayList<>();
        JsonElement meta = json.get("meta");
        if (meta != null && meta.isJsonObject()) {
            JsonElement p = meta.getAsJsonObject().get("profile");
            if (p != null && p.isJsonArray()) {
                for (JsonElement e : (JsonArray) p) {
                    if (e.isJsonPrimitive()) {
                        urls.add(e.getAsString());
                    }
                }
            }
        }
        return urls;
    }

    /** As the stock path reads meta.profile from XML (the first attribute of each meta/profile). */
    private static List<String> xmlProfiles(Document doc) {
        List<String> urls = new ArrayList<>();
        if (doc.getChildNodes().getLength() == 0) {
            return urls;
        }
        NodeList list = doc.getChildNodes().item(0).getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i).getNodeName().equalsIgnoreCase("meta")) {
                NodeList meta = list.item(i).getChildNodes();
                for (int j = 0; j < meta.getLength(); j++) {
                    if (meta.item(j).getNodeName().equalsIgnoreCase("profile") && meta.item(j).getAttributes() != null
                            && meta.item(j).getAttributes().getLength() > 0) {
                        urls.add(meta.item(j).getAttributes().item(0).getNodeValue());
                    }
                }
                break;
            }
        }
        return urls;
    }

    private static ValidationResult fatal(String message) {
        return new ValidationResult(List.of(new ValidationResult.Issue(ValidationResult.Severity.FATAL, null, message, null, 0, 0)));
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * An InstanceValidator configured exactly as the stock ValidatorWrapper configures its per-call one, and a JSON
     * element-model parser configured as InstanceValidator configures its per-call one. Used by one thread at a time.
     */
    private final class Engine {
        final InstanceValidator validator;
        final JsonParser jsonParser;
        int uses;

        Engine() {
            validator = new InstanceValidator(worker, new FhirInstanceValidator.NullEvaluationContext(),
                    new XVerExtensionManagerOld(worker), new ValidatorSession(), new ValidatorSettings());
            validator.setAssumeValidRestReferences(settings.isAssumeValidRestReferences());
            validator.setBestPracticeWarningLevel(settings.getBestPracticeWarningLevel());
            validator.setAnyExtensionsAllowed(settings.isAnyExtensionsAllowed());
            validator.setResourceIdRule(IdStatus.OPTIONAL);
            validator.setNoTerminologyChecks(settings.isNoTerminologyChecks());
            validator.setErrorForUnknownProfiles(settings.isErrorForUnknownProfiles());
            validator.setUnknownCodeSystemsCauseErrors(true); // as ValidatorWrapper (see its comment)
            validator.getExtensionDomains().addAll(settings.getExtensionDomains());
            validator.setFetcher(settings.getValidatorResourceFetcher());
            validator.setPolicyAdvisor(settings.getValidatorPolicyAdvisor());
            validator.setNoExtensibleWarnings(settings.isNoExtensibleWarnings());
            validator.setNoBindingMsgSuppressed(settings.isNoBindingMsgSuppressed());
            validator.setAllowExamples(settings.isAllowExamples());
            validator.setAllowXsiLocation(true);
            // what InstanceValidator.validate(.., InputStream, FhirFormat.JSON, ..) sets up on the new parser of each call
            jsonParser = new CachingJsonParser(worker); // Manager.makeParser(worker, JSON) gives a plain JsonParser
            jsonParser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
            jsonParser.setAllowComments(validator.isAllowComments());
            jsonParser.setSignatureServices(null);
        }

        /**
         * InstanceValidator.validate(appContext, errors, stream, JSON, profiles) without building a new parser (whose
         * constructor builds a FHIRPath engine over all ~650 core StructureDefinitions) per call.
         */
        void validateJson(byte[] json, List<ValidationMessage> errors, List<StructureDefinition> profiles) {
            List<ValidatedFragment> fragments;
            try {
                fragments = jsonParser.parse(new ByteArrayInputStream(json));
            } catch (IOException e) {
                throw new FHIRException(e);
            }
            validator.validatedContent = fragments;
            if (fragments != null && !fragments.isEmpty()) {
                for (ValidatedFragment fragment : fragments) {
                    if (fragment.getElement() != null) {
                        validator.validate(null, fragment.getErrors(), fragments.size() > 1 ? fragment.path() : null,
                                fragment.getElement(), profiles);
                    }
                    errors.addAll(fragment.getErrors());
                }
            }
        }
    }

    private Engine borrow() {
        Engine e = engines.poll();
        return e != null ? e : new Engine();
    }

    private void release(Engine e) {
        e.uses++;
        if (forgetSeenCodings(e.validator) ? e.uses < RECYCLE_AFTER : e.uses < RECYCLE_AFTER_WITHOUT_FORGETTING) {
            engines.offer(e);
        }
    }

    /** Validations after which an engine is replaced when its seen codings cannot be forgotten ({@link SeenCodings}). */
    static final int RECYCLE_AFTER_WITHOUT_FORGETTING = 100;

    private static boolean forgetSeenCodings(InstanceValidator validator) {
        return SeenCodings.forget(validator);
    }

    private ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (this) {
                if (pool == null) {
                    AtomicInteger n = new AtomicInteger();
                    pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                        Thread t = new Thread(r, "profile-validator-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                }
                p = pool;
            }
        }
        return p;
    }

    /** Validates one minimal instance per profile, so that conversions, snapshots and value set caches are built. */
    private void warmUp() {
        for (org.hl7.fhir.r4.model.StructureDefinition sd : pkg.profiles()) {
            String json = "{\"resourceType\":\"" + sd.getType() + "\",\"id\":\"warm-up\"}";
            try {
                validate(json, EncodingEnum.JSON, sd.getUrl());
            } catch (RuntimeException e) {
                // warming up is best effort
            }
        }
    }
}
