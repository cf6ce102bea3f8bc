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
            "reference-start", "required", "translations", "resources");
    private static final Set<String> RESOURCE_KEYS = Set.of("type", "id", "when", "unless", "profile", "rules");
    private static final Set<String> RULE_KEYS = Set.of("path", "value", "column", "template", "reference",
            "translate", "study-day", "when", "unless", "rules");

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
        return new MappingSet(set.byDomain(), FhirIds.sha256Hex(String.join("\n", all.values())).substring(0, 16));
    }

    /** Compiles mapping files given as file name → YAML text. */
    public MappingSet load(Map<String, String> sources) {
        Map<String, DomainMapping> byDomain = new TreeMap<>();
        StringBuilder all = new StringBuilder();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            DomainMapping m = compileFile(e.getKey(), e.getValue());
            DomainMapping clash = byDomain.put(m.domain(), m);
            if (clash != null) {
                throw new MappingDefinitionException(e.getKey(), m.domainLine(),
                        "domain " + m.domain() + " is already mapped by " + clash.sourceFile() + ":" + clash.domainLine());
            }
            all.append(e.getKey()).append('\n').append(e.getValue()).append('\n');
        }
        return new MappingSet(byDomain, FhirIds.sha256Hex(all.toString()).substring(0, 16));
    }

    private DomainMapping compileFile(String file, String text) {
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
        String domain = y.requiredScalar(top, "domain", root).toUpperCase(Locale.ROOT);
        Template subject = top.containsKey("subject") ? y.template(top.get("subject")) : null;
        boolean defines = top.containsKey("defines-subjects") && Boolean.parseBoolean(y.scalar(top.get("defines-subjects")));
        if (defines && subject == null) {
            throw y.error(top.get("defines-subjects"), "defines-subjects needs a 'subject' key template");
        }
        String referenceStart = top.containsKey("reference-start") ? column(y.scalar(top.get("reference-start"))) : null;
        Set<String> required = new LinkedHashSet<>();
        if (top.containsKey("required")) {
            for (Node n : y.seq(top.get("required"))) {
                required.add(column(y.scalar(n)));
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
        return new DomainMapping(domain, file, y.line(top.get("domain")), required, subject, defines, referenceStart, resources);
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
        List<FieldRule> rules = rules(y, m.get("rules"), def, translations);
        return new ResourceRule(def, id, condition(y, m), profile, rules, subject);
    }

    private List<FieldRule> rules(Yml y, Node node, ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?> base,
                                  Map<String, Translation> translations) {
        List<FieldRule> rules = new ArrayList<>();
        if (node == null) {
            return rules;
        }
        for (Node rn : y.seq(node)) {
            rules.add(rule(y, rn, base, translations));
        }
        return rules;
    }

    private FieldRule rule(Yml y, Node node, ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition<?> base,
                           Map<String, Translation> translations) {
        Map<String, Node> m = y.map(node, RULE_KEYS);
        Node pathNode = y.require(m, "path", node);
        ElementPath path;
        try {
            path = ElementPath.compile(ctx, base, y.scalar(pathNode));
        } catch (IllegalArgumentException e) {
            throw y.error(pathNode, e.getMessage());
        }
        int sources = 0;
        for (String k : List.of("value", "column", "template", "reference")) {
            if (m.containsKey(k)) sources++;
        }
        if (sources > 1) {
            throw y.error(node, "give only one of value, column, template, reference");
        }
        if (sources == 0 && !m.containsKey("rules")) {
            throw y.error(node, "rule for '" + path + "' has no value, column, template, reference or nested rules");
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
                translation = translation(y, "inline table at line " + y.line(t), t);
            }
            String studyDay = m.containsKey("study-day") ? column(y.scalar(m.get("study-day"))) : null;
            source = new ValueSource.Column(column(y.scalar(m.get("column"))), translation, studyDay);
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
            children = rules(y, m.get("rules"), composite, translations);
        }
        FieldRule rule;
        try {
            rule = new FieldRule(path, condition(y, m), source, children);
            if (source instanceof ValueSource.Reference && rule.kind() != FieldRule.Kind.REFERENCE) {
                throw new IllegalArgumentException("'" + path + "' is not a Reference");
            }
        } catch (IllegalArgumentException e) {
            throw y.error(pathNode, e.getMessage());
        }
        checkStaticValues(y, m, rule, source);
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
            return new Condition(column(y.scalar(n)), null, negate);
        }
        MappingNode mn = y.mapping(n);
        if (mn.getValue().size() != 1) {
            throw y.error(n, "a condition names one column: {COLUMN: value} or {COLUMN: [v1, v2]}");
        }
        NodeTuple t = mn.getValue().get(0);
        Set<String> values = new HashSet<>();
        if (t.getValueNode() instanceof SequenceNode) {
            for (Node v : y.seq(t.getValueNode())) {
                values.add(Translation.key(y.scalar(v)));
            }
        } else {
            values.add(Translation.key(y.scalar(t.getValueNode())));
        }
        return new Condition(column(y.scalar(t.getKeyNode())), values, negate);
    }

    private Translation translation(Yml y, String name, Node node) {
        MappingNode mn = y.mapping(node);
        if (mn.getValue().size() == 1 && "conceptmap".equals(y.scalar(mn.getValue().get(0).getKeyNode()))) {
            String url = y.scalar(mn.getValue().get(0).getValueNode());
            Translation t = conceptMaps.get(url);
            if (t == null) {
                throw y.error(mn.getValue().get(0).getValueNode(), "no ConceptMap with url " + url
                        + " in mappings/terminology (known: " + String.join(", ", new java.util.TreeSet<>(conceptMaps.keySet())) + ")");
            }
            return t;
        }
        Map<String, Object> table = new LinkedHashMap<>();
        for (NodeTuple t : y.mapping(node).getValue()) {
            String key = Translation.key(y.scalar(t.getKeyNode()));
            Node v = t.getValueNode();
            Object target = v instanceof ScalarNode ? y.scalar(v) : codings(y, v);
            if (table.put(key, target) != null) {
                throw y.error(t.getKeyNode(), "'" + key + "' is translated twice in '" + name + "'");
            }
        }
        return new Translation(name, table);
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

    private static String column(String name) {
        return name.trim().toUpperCase(Locale.ROOT);
    }

    /** Small helpers over SnakeYAML nodes that keep the line of everything they read. */
    private static final class Yml {
        private final String file;

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
                return Template.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(node, e.getMessage());
            }
        }
    }
}
