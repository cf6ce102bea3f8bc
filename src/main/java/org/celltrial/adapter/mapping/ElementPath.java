package org.celltrial.adapter.mapping;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseExtension;
import org.hl7.fhir.instance.model.api.IBaseHasExtensions;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target path such as {@code dosage.dose.value}, {@code identifier[system=urn:x].value},
 * {@code extension('http://…/study-day').valueInteger} or {@code performedPeriod.start}, resolved once
 * against HAPI's model of the resource type. Walking it at run time touches only the pre-resolved child
 * definitions: no path parsing and no reflection per record.
 *
 * <p>Step semantics: an intermediate step reuses the first existing element (or creates it); a final
 * step on a repeating element appends; {@code [n]} picks (or pads up to) the n-th element; {@code [+]}
 * always appends ({@code extension('url')[+]} adds another extension of that url); {@code [child=value]} picks the element whose primitive child equals the value
 * (a {@code {COLUMN}} template), creating it with that child set when none matches.
 */
public final class ElementPath {

    private static final Pattern STEP = Pattern.compile(
            "extension\\('([^']+)'\\)(\\[\\+\\])?|([a-zA-Z][a-zA-Z0-9]*)(?:\\[(\\d+|\\+|([a-zA-Z][a-zA-Z0-9]*)=([^\\]]*))\\])?");

    private final String text;
    private final List<Step> steps;

    private ElementPath(String text, List<Step> steps) {
        this.text = text;
        this.steps = steps;
    }

    /** The element definition the path ends at. */
    public BaseRuntimeElementDefinition<?> leaf() {
        return steps.get(steps.size() - 1).element;
    }

    /**
     * A new, empty element of the leaf's type, built the way HAPI builds it for this child: a coded element
     * with a required binding (Patient.gender, ResearchSubject.status, …) gets its enum factory, so that
     * setting a code outside the value set fails instead of being kept as an unchecked string.
     */
    public IBase newLeaf() {
        Step last = steps.get(steps.size() - 1);
        return last.element.newInstance(last.child == null ? null : last.child.getInstanceConstructorArguments());
    }

    public boolean leafRepeats() {
        Step last = steps.get(steps.size() - 1);
        return last.extensionUrl == null && last.child.getMax() != 1;
    }

    public List<Template> selectorTemplates() {
        List<Template> list = new ArrayList<>();
        for (Step s : steps) {
            if (s.matchValue != null) {
                list.add(s.matchValue);
            }
        }
        return list;
    }

    @Override
    public String toString() {
        return text;
    }

    public static ElementPath compile(FhirContext ctx, BaseRuntimeElementCompositeDefinition<?> start, String text) {
        List<Step> steps = new ArrayList<>();
        BaseRuntimeElementDefinition<?> current = start;
        String where = start.getName();
        for (String raw : splitSteps(text)) {
            Matcher m = STEP.matcher(raw);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + raw + "' in path '" + text + "' is not a valid step");
            }
            if (!(current instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
                throw new IllegalArgumentException("'" + where + "' is a primitive and has no element '" + raw + "'");
            }
            Step step = new Step();
            if (m.group(1) != null) {
                step.extensionUrl = m.group(1);
                step.append = m.group(2) != null;
                step.element = ctx.getElementDefinition("Extension");
                where = where + ".extension";
            } else {
                String name = m.group(3);
                BaseRuntimeChildDefinition child = composite.getChildByName(name);
                if (child == null) {
                    if (steps.isEmpty() && name.equals(start.getName())) {
                        String hint = text.indexOf('.') < 0 ? "" : ", write '" + text.substring(text.indexOf('.') + 1)
                                + "' instead of '" + text + "'";
                        throw new IllegalArgumentException("'" + where + "' has no element '" + name
                                + "': paths start below the resource" + hint);
                    }
                    for (BaseRuntimeChildDefinition c : composite.getChildren()) {
                        if (c.getElementName().equals(name) || c.getElementName().equals(name + "[x]")) {
                            throw new IllegalArgumentException("'" + where + "." + name + "' is a choice element:"
                                    + " name the type, one of " + String.join(", ", new java.util.TreeSet<>(c.getValidChildNames())));
                        }
                    }
                    throw new IllegalArgumentException("'" + where + "' has no element '" + name + "'");
                }
                step.child = child;
                step.element = child.getChildByName(name);
                if (step.element == null) {
                    throw new IllegalArgumentException("'" + where + "." + name + "' cannot be resolved (for choice elements name the type, e.g. valueQuantity)");
                }
                where = where + "." + name;
                String selector = m.group(4);
                if (selector != null) {
                    if (child.getMax() == 1) {
                        throw new IllegalArgumentException("'" + where + "' does not repeat; remove [" + selector + "]");
                    }
                    if ("+".equals(selector)) {
                        step.append = true;
                    } else if (m.group(5) != null) {
                        if (!(step.element instanceof BaseRuntimeElementCompositeDefinition<?> el)
                                || el.getChildByName(m.group(5)) == null) {
                            throw new IllegalArgumentException("'" + where + "' has no element '" + m.group(5) + "' to select on");
                        }
                        step.matchChild = el.getChildByName(m.group(5));
                        step.matchChildName = m.group(5);
                        step.matchValue = Template.parse(m.group(6));
                    } else {
                        step.index = Integer.parseInt(selector);
                    }
                }
            }
            steps.add(step);
            current = step.element;
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        return new ElementPath(text, steps);
    }

    private static List<String> splitSteps(String text) {
        // dots inside extension('…') urls and [selector] values are not separators
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\'') quoted = !quoted;
            if (!quoted && (c == '[' || c == '(')) depth++;
            if (!quoted && (c == ']' || c == ')')) depth--;
            if (c == '.' && depth == 0 && !quoted) {
                parts.add(sb.toString().trim());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        parts.add(sb.toString().trim());
        return parts;
    }

    /**
     * Walks from {@code root}, creating what is missing, and returns the element at the end of the path.
     * {@code selectorValues} holds the rendered values of the {@code [child=…]} selectors, in path order.
     */
    public IBase walk(IBase root, String[] selectorValues) {
        IBase current = root;
        int selector = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            boolean last = i == steps.size() - 1;
            String match = step.matchValue != null ? selectorValues[selector++] : null;
            current = step.extensionUrl != null ? extension(current, step.extensionUrl, step.append) : child(current, step, last, match);
        }
        return current;
    }

    /** Puts a ready-made value (usually a primitive) at the end of the path, replacing a singular one. */
    public void assign(IBase root, String[] selectorValues, IBase value) {
        Step last = steps.get(steps.size() - 1);
        if (last.extensionUrl != null || last.index >= 0 || last.matchValue != null) {
            throw new IllegalStateException("assign needs a plain final step: " + text);
        }
        IBase parent = root;
        int selector = 0;
        for (int i = 0; i < steps.size() - 1; i++) {
            Step step = steps.get(i);
            String match = step.matchValue != null ? selectorValues[selector++] : null;
            parent = step.extensionUrl != null ? extension(parent, step.extensionUrl, step.append) : child(parent, step, false, match);
        }
        if (last.child.getMax() == 1) {
            last.child.getMutator().setValue(parent, value);
        } else {
            last.child.getMutator().addValue(parent, value);
        }
    }

    public boolean canAssign() {
        Step last = steps.get(steps.size() - 1);
        return last.extensionUrl == null && last.index < 0 && last.matchValue == null && !last.append;
    }

    private static IBase extension(IBase parent, String url, boolean append) {
        if (!(parent instanceof IBaseHasExtensions has)) {
            throw new IllegalStateException(parent.getClass().getSimpleName() + " cannot carry extensions");
        }
        for (IBaseExtension<?, ?> ext : append ? List.<IBaseExtension<?, ?>>of() : has.getExtension()) {
            if (url.equals(ext.getUrl())) {
                return ext;
            }
        }
        IBaseExtension<?, ?> ext = has.addExtension();
        ext.setUrl(url);
        return ext;
    }

    private static IBase child(IBase parent, Step step, boolean last, String match) {
        BaseRuntimeChildDefinition child = step.child;
        List<? extends IBase> existing = child.getAccessor().getValues(parent);
        Class<?> type = step.element.getImplementingClass();
        if (match != null) {
            for (IBase candidate : existing) {
                for (IBase v : step.matchChild.getAccessor().getValues(candidate)) {
                    if (v instanceof IPrimitiveType<?> p && match.equals(p.getValueAsString())) {
                        return candidate;
                    }
                }
            }
            IBase created = create(parent, step);
            IPrimitiveType<?> key = (IPrimitiveType<?>) step.matchChild.getChildByName(step.matchChildName)
                    .newInstance(step.matchChild.getInstanceConstructorArguments());
            key.setValueAsString(match);
            step.matchChild.getMutator().setValue(created, key);
            return created;
        }
        if (step.index >= 0) {
            while (existing.size() <= step.index) {
                create(parent, step);
                existing = child.getAccessor().getValues(parent);
            }
            return existing.get(step.index);
        }
        boolean append = step.append || (last && child.getMax() != 1);
        if (!append && !existing.isEmpty() && type.isInstance(existing.get(0))) {
            return existing.get(0);
        }
        return create(parent, step);
    }

    private static IBase create(IBase parent, Step step) {
        IBase created = step.element.newInstance(step.child.getInstanceConstructorArguments());
        if (step.child.getMax() == 1) {
            step.child.getMutator().setValue(parent, created);
        } else {
            step.child.getMutator().addValue(parent, created);
        }
        return created;
    }

    private static final class Step {
        BaseRuntimeChildDefinition child;
        BaseRuntimeElementDefinition<?> element;
        String extensionUrl;
        int index = -1;
        boolean append;
        BaseRuntimeChildDefinition matchChild;
        String matchChildName;
        Template matchValue;
    }
}
