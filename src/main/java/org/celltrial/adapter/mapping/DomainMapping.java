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

    /**
     * Suffix of the column that holds a variable's Define-XML codelist decode ({@code DSDECOD.DECODE}); it cannot clash
     * with an SDTM variable (at most 8 characters, no dot). The ingest adds it when the delivery has a define.xml.
     */
    public static final String DECODE_SUFFIX = ".DECODE";

    private final String domain;
    private final String sourceFile;
    private final Set<String> requiredColumns;
    private final Template subject;
    private final String referenceStartColumn;
    private final boolean definesSubjects;
    private final List<ResourceRule> resources;
    private final int domainLine;
    private final boolean subjectOptional;
    private final Set<String> matchColumns;
    private final boolean usesParents;
    private final List<String> recordKey;
    private final Set<String> decodedVariables;
    private final DatasetRelationColumns datasetRelations;

    DomainMapping(String domain, String sourceFile, int domainLine, Set<String> requiredColumns, Template subject,
                  boolean definesSubjects, String referenceStartColumn, List<ResourceRule> resources,
                  boolean subjectOptional, Set<String> matchColumns, boolean usesParents, List<String> recordKey,
                  Set<String> decodedVariables, DatasetRelationColumns datasetRelations) {
        this.domain = domain;
        this.datasetRelations = datasetRelations;
        this.decodedVariables = Set.copyOf(decodedVariables);
        this.recordKey = List.copyOf(recordKey);
        this.subjectOptional = subjectOptional;
        this.matchColumns = matchColumns;
        this.usesParents = usesParents;
        this.sourceFile = sourceFile;
        this.domainLine = domainLine;
        this.subject = subject;
        this.definesSubjects = definesSubjects;
        this.referenceStartColumn = referenceStartColumn;
        this.resources = resources;
        Set<String> required = new LinkedHashSet<>(requiredColumns);
        if (subject != null && !subjectOptional) {
            required.addAll(subject.columns());
        }
        for (ResourceRule r : resources) {
            if (!subjectOptional) {
                required.addAll(r.idTemplate().columns());
            }
        }
        this.requiredColumns = required;
    }

    /** The variables whose decode ({@code <VARIABLE>.DECODE}) this mapping reads, e.g. DSDECOD. */
    public Set<String> decodedVariables() {
        return decodedVariables;
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

    /** Whether its rows define the subjects (DM): other domains refer to them. */
    public boolean definesSubjects() {
        return definesSubjects;
    }

    /**
     * The id of the subject a record belongs to, as a mapping session names it, or null for a record without one (a
     * study-level domain, a RELREC row without USUBJID, or a record whose subject key is missing). The streamed ingest
     * groups records by it so that each subject's records are mapped in one session.
     */
    public String subjectIdOf(SourceRecord record) {
        if (subject == null) {
            return null;
        }
        for (String c : subject.columns()) {
            if (!record.has(c)) {
                return null;
            }
        }
        return FhirIds.fromKey(subject.render(record));
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

    /** The columns that identify a record of the dataset (mapping key {@code key}); two rows sharing them are an error. */
    public List<String> recordKey() {
        return recordKey;
    }

    /** Rows without the subject's key columns are study-level (RELREC's dataset-level relations). */
    boolean subjectOptional() {
        return subjectOptional;
    }

    /** How this domain's study-level rows relate whole datasets (RELREC), or null. */
    DatasetRelationColumns datasetRelations() {
        return datasetRelations;
    }

    /** A pattern file's columns a dataset must have to be mapped by it (e.g. {@code LBTESTCD}). */
    Set<String> matchColumns() {
        return matchColumns;
    }

    /**
     * The resource that stands for a record of this domain when another record points at it (SUPP--, RELREC): the
     * first resource of a subject (DM: the Patient, not the shared ResearchStudy), else the first.
     */
    ResourceRule primaryResource() {
        for (ResourceRule r : resources) {
            if (r.perSubject()) {
                return r;
            }
        }
        return resources.get(0);
    }

    /**
     * Study-level domains first, then the one that defines subjects, then the rest, and last the domains that point at
     * other records (SUPP--, RELREC), so that what they point at is mapped before them.
     */
    int processingRank() {
        if (usesParents) return 3;
        if (subject == null) return 0;
        return definesSubjects ? 1 : 2;
    }
}
