package org.celltrial.adapter.mapping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The compiled mapping of one SDTM domain (one file in {@code mappings/}): which columns it needs,
 * how a row names its subject, and the resources a row produces.
 */
public final class DomainMapping {

    private final String domain;
    private final String sourceFile;
    private final Set<String> requiredColumns;
    private final Template subject;
    private final String referenceStartColumn;
    private final boolean definesSubjects;
    private final List<ResourceRule> resources;
    private final int domainLine;

    DomainMapping(String domain, String sourceFile, int domainLine, Set<String> requiredColumns, Template subject,
                  boolean definesSubjects, String referenceStartColumn, List<ResourceRule> resources) {
        this.domain = domain;
        this.sourceFile = sourceFile;
        this.domainLine = domainLine;
        this.subject = subject;
        this.definesSubjects = definesSubjects;
        this.referenceStartColumn = referenceStartColumn;
        this.resources = resources;
        Set<String> required = new LinkedHashSet<>(requiredColumns);
        if (subject != null) {
            required.addAll(subject.columns());
        }
        for (ResourceRule r : resources) {
            required.addAll(r.idTemplate().columns());
        }
        this.requiredColumns = required;
    }

    public String domain() {
        return domain;
    }

    public String sourceFile() {
        return sourceFile;
    }

    /** Line of the {@code domain:} key in the source file. */
    int domainLine() {
        return domainLine;
    }

    /** Columns every row must have a value in: declared ones plus those that build ids and subject keys. */
    public Set<String> requiredColumns() {
        return requiredColumns;
    }

    public List<String> missingColumns(Set<String> header) {
        List<String> missing = new ArrayList<>();
        for (String c : requiredColumns) {
            if (!header.contains(c)) {
                missing.add(c);
            }
        }
        return missing;
    }

    Template subject() {
        return subject;
    }

    boolean definesSubjects() {
        return definesSubjects;
    }

    String referenceStartColumn() {
        return referenceStartColumn;
    }

    List<ResourceRule> resources() {
        return resources;
    }

    /** A domain without subjects (TS): its resources are shared by the whole study. */
    public boolean studyLevel() {
        return subject == null;
    }

    /** Study-level domains first, then the one that defines subjects, then the rest. */
    int processingRank() {
        if (subject == null) return 0;
        return definesSubjects ? 1 : 2;
    }
}
