package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads and compiles the YAML files of {@code mappings/} (format: mappings/README.md). Every problem
 * is reported with file, line and reason; paths are resolved against HAPI's FHIR R4 model here, once,
 * so the per-record path never parses or looks anything up.
 */
public final class MappingLoader {

    private static final Set<String> FILE_KEYS = Set.of("domain", "description", "subject", "defines-subjects",
            "reference-start", "required", "translations", "resources", "match-columns", "subject-optional", "key",
            "dataset-relations");
    private static final Set<String> RESOURCE_KEYS = Set.of("type", "id", "when", "unless", "profile", "rules",
            "contributes-to");
    private static final Set<String> RULE_KEYS = Set.of("path", "value", "column", "template", "reference",
            "translate", "study-day", "when", "unless", "rules", "parent");
    /** Stands for the dataset's domain code in a pattern file's domain, columns and templates ({@code --TESTCD}). */
    static final String WILDCARD = "--";

    private final FhirContext ctx;
    private Map<String, Translation> conceptMaps = Map.of();

    public MappingLoader(FhirContext ctx) {
        this.ctx = ctx;
    }

    public MappingSet loadDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new MappingDefinitionException(dir.toString(), 0, "mapping directory does not exist");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("(?i).*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new MappingDefinitionException(dir.toString(), 0, "cannot list: " + e.getMessage());
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                sources.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new MappingDefinitionException(f.toString(), 0, "cannot read: " + e.getMessage());
            }
        }
        if (sources.isEmpty()) {
            throw new MappingDefinitionException(dir.toString(), 0, "no mapping files (*.yaml)");
        }
        Map<String, String> terminology = new LinkedHashMap<>();
        Path termDir = dir.resolve("terminology");
        if (Files.isDirectory(termDir)) {
            try (Stream<Path> s = Files.list(termDir)) {
                for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    terminology.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new MappingDefinitionException(termDir.toString(), 0, "cannot read: " + e.getMessage());
            }
        }
        return load(sources, terminology);
    }

    /** Compiles mapping files (file name → YAML) with the ConceptMaps they may use (file name → JSON). */
    public MappingSet load(Map<String, String> sources, Map<String, String> conceptMapJson) {
        this.conceptMaps = ConceptMapTranslations.parse(ctx, conceptMapJson);
        Map<String, String> all = new LinkedHashMap<>(sources);
        conceptMapJson.forEach((k, v) -> all.put("terminology/" + k, v));
        MappingSet set = load(sources);
        return new MappingSet(set.byDomain(), set.patterns(), FhirIds.sha256Hex(String.join("\n", all.values())).substring(0, 16));
    }

    /** Compiles mapping files given as file name → YAML text. */
    public MappingSet load(Map<String, String> sources) {
        Map<String, DomainMapping> byDomain = new TreeMap<>();
        List<DomainPattern> patterns = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            String domainKey = domainOf(e.getKey(), e.getValue());
            if (domainKey != null && domainKey.contains(WILDCARD)) {
                // compiled now with a stand-in code so that a broken pattern file stops start-up like any other
                String sample = domainKey.replace(WILDCARD, "XX");
                DomainMapping checked = compileFile(e.getKey(), e.getValue(), sample);
                String file = e.getKey();
                String text = e.getValue();
                Map<String, Translation> maps = conceptMaps;
                patterns.add(new DomainPattern(domainKey, file, checked.matchColumns(),
                        domain -> new MappingLoader(ctx, maps).compileFile(file, text, domain)));
                all.append(e.getKey()).append('\n').append(e.getValue()).append('\n');
                continue;
            }
            DomainMapping m = compileFile(e.getKey(), e.getValue(), null);
            DomainMapping clash = byDomain.put(m.domain(), m);
            if (clash != null) {
                throw new MappingDefinitionException(e.getKey(), m.domainLine(),
                        "domain " + m.domain() + " is already mapped by " + clash.sourceFile() + ":" + clash.domainLine());
            }
            all.append(e.getKey()).append('\n').append(e.getValue()).append('\n');
        }
        patterns.sort(java.util.Comparator.comparingInt((DomainPattern p) -> -p.pattern().replace(WILDCARD, "").length())
                .thenComparing(DomainPattern::file));
        return new MappingSet(byDomain, patterns, FhirIds.sha256Hex(all.toString()).substring(0, 16));
    }

    private MappingLoader(FhirContext ctx, Map<String, Translation> conceptMaps) {
        this.ctx = ctx;
        this.conceptMaps = conceptMaps;
    }

    /** The {@code domain:} value of a file, read without compiling it; null when it has none (compiling says so). */
    private static String domainOf(String file, String text) {
        try {
            Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
            if (root instanceof MappingNode mn) {
                for (NodeTuple t : mn.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("domain") && t.getValueNode() instanceof ScalarNode v) {
                        return v.getValue().trim().toUpperCase(Locale.ROOT);
                    }
                }
            }
        } catch (MarkedYAMLException e) {
            return null;
        }
        return null;
    }

    /**
     * Compiles one file. For a pattern file ({@code domain: "--"}, {@code "SUPP--"}) {@code concreteDomain} is the
     * dataset's domain; the part the wildcard stands for replaces {@code --} in its columns and templates.
     */
    DomainMapping compileFile(String file, String text, String concreteDomain) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            // for an unclosed quote or bracket the problem is found far below; say where it started
            String context = e.getContext() == null ? "" : " (" + e.getContext()
                    + (e.getContextMark() == null ? "" : " that starts at line " + (e.getContextMark().getLine() + 1)) + ")";
            throw new MappingDefinitionException(file, line, "YAML syntax: " + e.getProblem() + context);
        }
        if (root == null) {
            throw new MappingDefinitionException(file, 1, "file is empty");
        }
        Yml y = new Yml(file);
        Map<String, Node> top = y.map(root, FILE_KEYS);
        String domain = y.requiredScalar(top, "domain", root).trim().toUpperCase(Locale.ROOT);
        if (domain.contains(WILDCARD)) {
            int at = domain.indexOf(WILDCARD);
            if (concreteDomain == null || domain.indexOf(WILDCARD, at + 1) >= 0) {
                throw y.error(top.get("domain"), "a domain pattern has one '--', standing for a domain code");
            }
            y.prefix = concreteDomain.substring(at, concreteDomain.length() - (domain.length() - at - WILDCARD.length()));
            domain = concreteDomain;
        } else if (top.containsKey("match-columns")) {
            throw y.error(top.get("match-columns"), "'match-columns' is for pattern files (domain: \"--\" or \"SUPP--\")");
        }
        Set<String> matchColumns = new LinkedHashSet<>();
        if (top.containsKey("match-columns")) {
            for (Node n : y.seq(top.get("match-columns"))) {
                matchColumns.add(y.column(y.scalar(n)));
            }
        }
        boolean subjectOptional = top.containsKey("subject-optional") && Boolean.parseBoolean(y.scalar(top.get("subject-optional")));
        List<String> recordKey = new ArrayList<>();
        if (top.containsKey("key")) {
            for (Node n : y.seq(top.get("key"))) {
                recordKey.add(y.column(y.scalar(n)));
            }
        }
        Template subject = top.containsKey("subject") ? y.template(top.get("subject")) : null;
        DatasetRelationColumns datasetRelations = null;
        if (top.containsKey("dataset-relations")) {
            Node n = top.get("dataset-relations");
            if (!subjectOptional) {
                throw y.error(n, "'dataset-relations' reads the rows without a subject: it needs 'subject-optional: true'");
            }
            Map<String, Node> r = y.map(n, Set.of("domain", "variable", "value", "relation"));
            datasetRelations = new DatasetRelationColumns(y.column(y.requiredScalar(r, "domain", n)),
                    y.column(y.requiredScalar(r, "variable", n)), y.column(y.requiredScalar(r, "value", n)),
                    y.column(y.requiredScalar(r, "relation", n)));
        }
        boolean defines = top.containsKey("defines-subjects") && Boolean.parseBoolean(y.scalar(top.get("defines-subjects")));
        if (defines && subject == null) {
            throw y.error(top.get("defines-subjects"), "defines-subjects needs a 'subject' key template");
        }
        String referenceStart = top.containsKey("reference-start") ? y.column(y.scalar(top.get("reference-start"))) : null;
        Set<String> required = new LinkedHashSet<>();
        if (top.containsKey("required")) {
            for (Node n : y.seq(top.get("required"))) {
                required.add(y.column(y.scalar(n)));
            }
        }
        Map<String, Translation> translations = new LinkedHashMap<>();
        if (top.containsKey("translations")) {
            for (NodeTuple t : y.mapping(top.get("translations")).getValue()) {
                String name = y.scalar(t.getKeyNode());
                translations.put(name, translation(y, name, t.getValueNode()));
            }
        }
        Node resourcesNode = top.get("resources");
        if (resourcesNode == null) {
            throw y.error(root, "missing 'resources'");
        }
        List<ResourceRule> resources = new ArrayList<>();
        for (Node rn : y.seq(resourcesNode)) {
            resources.add(resource(y, rn, translations, subject));
        }
        return new DomainMapping(domain, file, y.line(top.get("domain")), required, subject, defines, referenceStart, resources,
                subjectOptional, matchColumns, y.usesParents, recordKey, y.decoded, datasetRelations);
    }

    private ResourceRule resource(Yml y, Node node, Map<String, Translation> translations, Template subject) {
        Map<String, Node> m = y.map(node, RESOURCE_KEYS);
        String type = y.requiredScalar(m, "type", node);
        RuntimeResourceDefinition def;
        try {
            def = ctx.getResourceDefinition(type);
        } catch (RuntimeException e) {
            throw y.error(m.get("type"), "'" + type + "' is not a FHIR R4 resource type");
        }
        Template id = y.template(y.require(m, "id", node));
        String profile = m.containsKey("profile") ? y.scalar(m.get("profile")) : null;
        y.resourceType = def.getName();
        List<FieldRule> rules = rules(y, m.get("rules"), def, translations, "");
        String contributesTo = m.containsKey("contributes-to") ? y.scalar(m.get("contributes-to")).trim().toUpperCase(Locale.ROOT) : null;
        if (contributesTo != null && (subject == null || !id.columns().containsAll(subject.columns()))) {
            throw y.error(m.get("contributes-to"), "only a subject's resource can be contributed to (its id uses the subject key)");
        }
        return new ResourceRule(def, id, condition(y, m), profile, rules, subject, contributesTo);
    }

    private List<FieldRule> rules(Yml y, Node node, ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?> base,
                                  Map<String, Translation> translations, String parentPath) {
        List<FieldRule> rules = new ArrayList<>();
        if (node == null) {
            return rules;
        }
        for (Node rn : y.seq(node)) {
            rules.add(rule(y, rn, base, translations, parentPath));
        }
        return rules;
    }

    private FieldRule rule(Yml y, Node node, ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?> base,
                           Map<String, Translation> translations, String parentPath) {
        Map<String, Node> m = y.map(node, RULE_KEYS);
        Node pathNode = y.require(m, "path", node);
        ElementPath path;
        try {
            path = ElementPath.compile(ctx, base, y.scalar(pathNode));
        } catch (IllegalArgumentException e) {
            throw y.error(pathNode, e.getMessage());
        }
        int sources = 0;
        for (String k : List.of("value", "column", "template", "reference", "parent")) {
            if (m.containsKey(k)) sources++;
        }
        if (sources > 1) {
            throw y.error(node, "give only one of value, column, template, reference, parent");
        }
        if (sources == 0 && !m.containsKey("rules")) {
            throw y.error(node, "rule for '" + path + "' has no value, column, template, reference, parent or nested rules");
        }
        if ((m.containsKey("translate") || m.containsKey("study-day")) && !m.containsKey("column")) {
            throw y.error(node, "'translate' and 'study-day' apply to a 'column' rule");
        }
        ValueSource source = null;
        if (m.containsKey("value")) {
            Node v = m.get("value");
            source = new ValueSource.Constant(v instanceof ScalarNode ? y.scalar(v) : codings(y, v));
        } else if (m.containsKey("column")) {
            Translation translation = null;
            Node t = m.get("translate");
            if (t instanceof ScalarNode) {
                translation = translations.get(y.scalar(t));
                if (translation == null) {
                    throw y.error(t, "no translation named '" + y.scalar(t) + "' in this file's 'translations'");
                }
            } else if (t != null) {
                translation = translation(y, y.file + "#line-" + y.line(t), t);
            }
            String studyDay = m.containsKey("study-day") ? y.column(y.scalar(m.get("study-day"))) : null;
            source = new ValueSource.Column(y.column(y.scalar(m.get("column"))), translation, studyDay);
        } else if (m.containsKey("parent")) {
            // {domain: RDOMAIN, key: IDVAR, value: IDVARVAL}: the columns naming the parent record
            Map<String, Node> p = y.map(m.get("parent"), Set.of("domain", "key", "value"));
            source = new ValueSource.Parent(y.column(y.requiredScalar(p, "domain", m.get("parent"))),
                    y.column(y.requiredScalar(p, "key", m.get("parent"))), y.column(y.requiredScalar(p, "value", m.get("parent"))));
            y.usesParents = true;
        } else if (m.containsKey("template")) {
            source = new ValueSource.Text(y.template(m.get("template")));
        } else if (m.containsKey("reference")) {
            String ref = y.scalar(m.get("reference"));
            int slash = ref.indexOf('/');
            if (slash <= 0) {
                throw y.error(m.get("reference"), "a reference is written Type/{KEY}, e.g. Patient/{STUDYID}-{USUBJID}");
            }
            String type = ref.substring(0, slash);
            try {
                type = ctx.getResourceDefinition(type).getName(); // HAPI matches case-insensitively: use the real name
            } catch (RuntimeException e) {
                throw y.error(m.get("reference"), "'" + type + "' is not a FHIR R4 resource type");
            }
            source = new ValueSource.Reference(type, y.template(m.get("reference"), ref.substring(slash + 1)));
        }
        List<FieldRule> children = List.of();
        if (m.containsKey("rules")) {
            if (!(path.leaf() instanceof ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?> composite)) {
                throw y.error(m.get("rules"), "'" + path + "' is a primitive and cannot have nested rules");
            }
            children = rules(y, m.get("rules"), composite, translations, parentPath + path + ".");
        }
        FieldRule rule;
        try {
            rule = new FieldRule(path, parentPath + path, condition(y, m), source, children);
            if ((source instanceof ValueSource.Reference || source instanceof ValueSource.Parent) && rule.kind() != FieldRule.Kind.REFERENCE) {
                throw new IllegalArgumentException("'" + path + "' is not a Reference");
            }
        } catch (IllegalArgumentException e) {
            throw y.error(pathNode, e.getMessage());
        }
        checkStaticValues(y, m, rule, source);
        if (rule.kind() == FieldRule.Kind.CODEABLE_CONCEPT && !rule.toString().contains("extension(")
                && RequiredBindings.isRequired(ctx, y.resourceType + "." + plain(rule.toString()))) {
            rule.bindingIsRequired();
        }
        return rule;
    }

    /** Constants and translation targets are known now: check them against the target type once. */
    private static void checkStaticValues(Yml y, Map<String, Node> m, FieldRule rule, ValueSource source) {
        if (source instanceof ValueSource.Constant c) {
            try {
                rule.checkStaticValue(c.value());
            } catch (IllegalArgumentException e) {
                throw y.error(m.get("value"), e.getMessage());
            }
        } else if (source instanceof ValueSource.Column col && col.translation() != null) {
            for (Object target : col.translation().table().values()) {
                try {
                    rule.checkStaticValue(target);
                } catch (IllegalArgumentException e) {
                    throw y.error(m.get("translate"), "translation '" + col.translation().name() + "': " + e.getMessage());
                }
            }
        }
    }

    private Condition condition(Yml y, Map<String, Node> m) {
        if (m.containsKey("when") && m.containsKey("unless")) {
            throw y.error(m.get("unless"), "give either 'when' or 'unless'");
        }
        Node n = m.containsKey("when") ? m.get("when") : m.get("unless");
        if (n == null) {
            return null;
        }
        boolean negate = m.containsKey("unless");
        if (n instanceof ScalarNode) {
            return new Condition(y.column(y.scalar(n)), null, negate);
        }
        MappingNode mn = y.mapping(n);
        if (mn.getValue().isEmpty()) {
            throw y.error(n, "a condition names a column: {COLUMN: value}, {COLUMN: [v1, v2]} or several such columns");
        }
        List<Condition.Test> tests = new ArrayList<>();
        for (NodeTuple t : mn.getValue()) {
            if (t.getValueNode() instanceof MappingNode compare) {
                tests.add(numericTest(y, y.column(y.scalar(t.getKeyNode())), compare));
                continue;
            }
            Set<String> values = new HashSet<>();
            if (t.getValueNode() instanceof SequenceNode) {
                for (Node v : y.seq(t.getValueNode())) {
                    values.add(Translation.key(y.scalar(v)));
                }
            } else {
                values.add(Translation.key(y.scalar(t.getValueNode())));
            }
            tests.add(new Condition.Test(y.column(y.scalar(t.getKeyNode())), values));
        }
        return new Condition(List.copyOf(tests), negate);
    }

    /** {@code {eq: 0}}, {@code {lt: 1}}, ...: the column's value as a number against a bound. */
    private Condition.Test numericTest(Yml y, String column, MappingNode compare) {
        if (compare.getValue().size() != 1) {
            throw y.error(compare, "a numeric condition is one comparison: {eq|ne|lt|le|gt|ge: number}");
        }
        NodeTuple t = compare.getValue().get(0);
        Condition.Op op;
        try {
            op = Condition.Op.valueOf(y.scalar(t.getKeyNode()).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw y.error(t.getKeyNode(), "'" + y.scalar(t.getKeyNode()) + "' is not a comparison: eq, ne, lt, le, gt or ge");
        }
        try {
            return new Condition.Test(column, null, op, FieldRule.number(column, y.scalar(t.getValueNode())));
        } catch (RecordMappingException e) {
            throw y.error(t.getValueNode(), "the bound of a numeric condition must be a number");
        }
    }

    /**
     * A named translation: {@code {conceptmap: url}} or an inline table {@code {value: target, …}}; either may say
     * {@code on-unmapped: keep} (the default: the open world, see {@link Translation}) or {@code reject}.
     */
    private Translation translation(Yml y, String name, Node node) {
        MappingNode mn = y.mapping(node);
        Translation.OnUnmapped policy = Translation.OnUnmapped.KEEP;
        List<NodeTuple> entries = new ArrayList<>();
        for (NodeTuple t : mn.getValue()) {
            if ("on-unmapped".equals(y.scalar(t.getKeyNode()))) {
                String p = y.scalar(t.getValueNode()).trim().toLowerCase(Locale.ROOT);
                if (!p.equals("keep") && !p.equals("reject")) {
                    throw y.error(t.getValueNode(), "on-unmapped is 'keep' or 'reject'");
                }
                policy = p.equals("keep") ? Translation.OnUnmapped.KEEP : Translation.OnUnmapped.REJECT;
            } else {
                entries.add(t);
            }
        }
        if (entries.size() == 1 && "conceptmap".equals(y.scalar(entries.get(0).getKeyNode()))) {
            String url = y.scalar(entries.get(0).getValueNode());
            Translation t = conceptMaps.get(url);
            if (t == null) {
                throw y.error(entries.get(0).getValueNode(), "no ConceptMap with url " + url
                        + " in mappings/terminology (known: " + String.join(", ", new java.util.TreeSet<>(conceptMaps.keySet())) + ")");
            }
            return t.withPolicy(policy);
        }
        Map<String, Object> table = new LinkedHashMap<>();
        List<String> known = new ArrayList<>();
        for (NodeTuple t : entries) {
            String source = y.scalar(t.getKeyNode());
            String key = Translation.key(source);
            Node v = t.getValueNode();
            Object target = v instanceof ScalarNode ? y.scalar(v) : codings(y, v);
            if (table.put(key, target) != null) {
                throw y.error(t.getKeyNode(), "'" + key + "' is translated twice in '" + name + "'");
            }
            known.add(source.trim());
        }
        return new Translation(name, null, table, known, policy);
    }

    private List<CodingValue> codings(Yml y, Node node) {
        List<CodingValue> list = new ArrayList<>();
        List<Node> items = node instanceof SequenceNode ? y.seq(node) : List.of(node);
        for (Node item : items) {
            Map<String, Node> c = y.map(item, Set.of("system", "code", "display"));
            list.add(new CodingValue(y.requiredScalar(c, "system", item), y.requiredScalar(c, "code", item),
                    c.containsKey("display") ? y.scalar(c.get("display")) : null));
        }
        return list;
    }

    /** A rule's path as FHIR writes element paths: without selectors ({@code suspectEntity[0]} → {@code suspectEntity}). */
    private static String plain(String path) {
        return path.replaceAll("\\[[^\\]]*\\]", "");
    }

    /** Small helpers over SnakeYAML nodes that keep the line of everything they read. */
    private static final class Yml {
        private final String file;
        /** What {@code --} stands for in a pattern file, else null. */
        String prefix;
        boolean usesParents;
        /** The resource type whose rules are being compiled. */
        String resourceType;

        String column(String name) {
            String c = name.trim().toUpperCase(Locale.ROOT);
            if (c.startsWith(WILDCARD)) {
                if (prefix == null) {
                    throw new MappingDefinitionException(file, 0, "'" + c + "': '--' columns are for pattern files (domain: \"--\")");
                }
                c = prefix + c.substring(WILDCARD.length());
            }
            noteDecode(c);
            return c;
        }

        /** The variables whose Define-XML decode the file reads ({@code DSDECOD.DECODE}): the read stage adds only those. */
        final Set<String> decoded = new java.util.LinkedHashSet<>();

        void noteDecode(String column) {
            if (column.endsWith(DomainMapping.DECODE_SUFFIX) && column.length() > DomainMapping.DECODE_SUFFIX.length()) {
                decoded.add(column.substring(0, column.length() - DomainMapping.DECODE_SUFFIX.length()));
            }
        }

        Yml(String file) {
            this.file = file;
        }

        MappingDefinitionException error(Node node, String reason) {
            return new MappingDefinitionException(file, line(node), reason);
        }

        int line(Node node) {
            return node == null ? 0 : node.getStartMark().getLine() + 1;
        }

        MappingNode mapping(Node node) {
            if (!(node instanceof MappingNode mn)) {
                throw error(node, "expected a map of key: value");
            }
            return mn;
        }

        Map<String, Node> map(Node node, Set<String> allowed) {
            Map<String, Node> map = new LinkedHashMap<>();
            for (NodeTuple t : mapping(node).getValue()) {
                String key = scalar(t.getKeyNode());
                if (!allowed.contains(key)) {
                    throw error(t.getKeyNode(), "unknown key '" + key + "' (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
                if (map.put(key, t.getValueNode()) != null) {
                    throw error(t.getKeyNode(), "duplicate key '" + key + "'");
                }
            }
            return map;
        }

        List<Node> seq(Node node) {
            if (!(node instanceof SequenceNode sn)) {
                throw error(node, "expected a list");
            }
            return sn.getValue();
        }

        String scalar(Node node) {
            if (!(node instanceof ScalarNode sn)) {
                throw error(node, "expected a single value");
            }
            return sn.getValue();
        }

        Node require(Map<String, Node> m, String key, Node owner) {
            Node n = m.get(key);
            if (n == null) {
                throw error(owner, "missing '" + key + "'");
            }
            return n;
        }

        String requiredScalar(Map<String, Node> m, String key, Node owner) {
            return scalar(require(m, key, owner));
        }

        Template template(Node node) {
            return template(node, scalar(node));
        }

        Template template(Node node, String text) {
            try {
                if (text.contains("{" + WILDCARD)) {
                    if (prefix == null) {
                        throw new IllegalArgumentException("'{--…}' is for pattern files (domain: \"--\")");
                    }
                    text = text.replace("{" + WILDCARD, "{" + prefix);
                }
                Template t = Template.parse(text);
                t.columns().forEach(this::noteDecode);
                return t;
            } catch (IllegalArgumentException e) {
                throw error(node, e.getMessage());
            }
        }
    }
}
