package org.celltrial.adapter.ingest.pipeline;

import ca.uhn.fhir.context.FhirContext;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.SourceRecord;
import org.celltrial.adapter.profiles.ResourceValidation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 5, validate: the new or changed resources of one subject (or the study-level resources) are checked against
 * their profiles. An invalid resource is not stored and its source records fail with the validator's findings as
 * their OperationOutcome. What depends on it fails too: a resource that refers to it (an SUPP-- observation on a
 * failed parent) would make the server refuse the whole transaction, and a subject whose Patient or ResearchSubject
 * is invalid cannot take any of its resources. Runs on the ingest workers, one subject at a time per worker.
 */
public final class ValidateStage {

    private final ResourceValidation validation;
    private final FhirContext ctx;

    public ValidateStage(ResourceValidation validation, FhirContext ctx) {
        this.validation = validation;
        this.ctx = ctx;
    }

    /** Returns the resources of {@code all} that may be stored; the records of the others have failed. */
    public List<MappedResource> validate(List<MappedResource> all, ChangedResources changes, DeliveryRun run) {
        // unchanged resources were validated when they were stored: only new or changed ones are checked
        List<Resource> resources = all.stream().filter(r -> !changes.unchanged(r)).map(MappedResource::resource).toList();
        Map<Resource, OperationOutcome> invalid = resources.isEmpty() ? Map.of() : validation.invalid(resources);
        List<MappedResource> valid = new ArrayList<>();
        boolean subjectBroken = false;
        for (MappedResource r : all) {
            OperationOutcome oo = invalid.get(r.resource());
            if (oo == null) {
                valid.add(r);
                continue;
            }
            String issues = summarize(oo);
            String outcome = ctx.newJsonParser().encodeResourceToString(oo);
            for (SourceRecord s : r.sources()) {
                run.fail((RecordState) s, null, MapStage.ref(r) + " does not conform to " + profileOf(r) + ": " + issues, outcome);
            }
            subjectBroken |= r.subjectId() != null
                    && (r.resource().fhirType().equals("Patient") || r.resource().fhirType().equals("ResearchSubject"));
        }
        if (!invalid.isEmpty() && !subjectBroken) {
            failReferrersOfInvalid(invalid.keySet(), valid, run);
        }
        // a subject whose Patient or ResearchSubject is invalid cannot take the rest of its resources
        if (subjectBroken) {
            valid.forEach(r -> r.sources().forEach(s ->
                    run.fail((RecordState) s, null, "not stored: the subject's Patient/ResearchSubject is invalid")));
            valid.clear();
        }
        return valid;
    }

    /**
     * A resource that points at one not stored (an SUPP-- observation whose parent record failed its profile) would make
     * the server refuse the subject's whole transaction: it fails alone instead, naming what it points at.
     */
    private void failReferrersOfInvalid(Set<Resource> invalid, List<MappedResource> valid, DeliveryRun run) {
        Set<String> missing = new HashSet<>();
        invalid.forEach(r -> missing.add(r.fhirType() + "/" + r.getIdPart()));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Iterator<MappedResource> it = valid.iterator(); it.hasNext(); ) {
                MappedResource r = it.next();
                for (Reference ref : ctx.newTerser().getAllPopulatedChildElementsOfType(r.resource(), Reference.class)) {
                    if (ref.getReference() != null && missing.contains(ref.getReference())) {
                        for (SourceRecord s : r.sources()) {
                            run.fail((RecordState) s, null, "not stored: " + MapStage.ref(r) + " refers to " + ref.getReference()
                                    + ", which was not stored (see that record's reason)");
                        }
                        missing.add(MapStage.ref(r));
                        it.remove();
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    private static String profileOf(MappedResource r) {
        return r.resource().getMeta().hasProfile() ? r.resource().getMeta().getProfile().get(0).getValue()
                : "the base " + r.resource().fhirType();
    }

    private static String summarize(OperationOutcome oo) {
        List<String> parts = new ArrayList<>();
        for (OperationOutcome.OperationOutcomeIssueComponent i : oo.getIssue()) {
            if (i.getSeverity() == OperationOutcome.IssueSeverity.ERROR || i.getSeverity() == OperationOutcome.IssueSeverity.FATAL) {
                String where = i.hasExpression() ? i.getExpression().get(0).getValue() + ": " : "";
                parts.add(where + i.getDiagnostics());
            }
        }
        return String.join("; ", parts);
    }
}
