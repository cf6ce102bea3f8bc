package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.celltrial.adapter.profiles.ResourceValidation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.AE;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.DM;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.delivery;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.read;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

/**
 * The validate stage's decisions over real mapped resources; which resources are invalid is given by a validation that
 * refuses the listed ones (the profiles' own findings are ProfileValidator's tests).
 */
class ValidateStageTest {

    private final DeliveryRun run = run("d-1");
    private final MappedResources out;

    ValidateStageTest() {
        String supp = """
                STUDYID,RDOMAIN,USUBJID,IDVAR,IDVARVAL,QNAM,QLABEL,QVAL
                S-1,AE,S-1-001,AESEQ,1,AETRTEM,Treatment Emergent Flag,Y
                """;
        List<MappableDataset> datasets = read(delivery("dm.csv", DM, "ae.csv", AE, "suppae.csv", supp), run);
        out = new MapStageWithoutStore().map(datasets, run);
    }

    @Test
    void onlyNewOrChangedResourcesAreValidatedAndValidOnesPass() {
        List<MappedResource> subject = out.bySubject().get("S-1-S-1-001");
        List<Resource> asked = new ArrayList<>();
        ResourceValidation all = resources -> {
            asked.addAll(resources);
            return Map.of();
        };
        MappedResource patient = find(subject, "Patient");
        ChangedResources changes = unchangedExcept(subject, patient);
        List<MappedResource> valid = new ValidateStage(all, PipelineFixtures.CTX).validate(subject, changes, run);
        assertThat(valid).hasSameSizeAs(subject);
        assertThat(asked).containsExactly(patient.resource());
    }

    @Test
    void anInvalidResourceFailsItsRecordsWithTheFindingsAndWhatRefersToItFailsToo() {
        List<MappedResource> subject = out.bySubject().get("S-1-S-1-001");
        MappedResource ae1 = subject.stream().filter(r -> r.resource().getIdPart().endsWith("-AE-1")).findFirst().orElseThrow();
        List<MappedResource> valid = new ValidateStage(refusing(ae1.resource()), PipelineFixtures.CTX)
                .validate(subject, allChanged(subject), run);
        assertThat(valid).doesNotContain(ae1);
        RecordState aeRow = (RecordState) ae1.sources().get(0);
        assertThat(aeRow.status()).isEqualTo(Status.FAILED);
        assertThat(aeRow.failure().reason()).startsWith("AdverseEvent/" + ae1.resource().getIdPart() + " does not conform to ")
                .endsWith("AdverseEvent.seriousness: minimum required = 1");
        assertThat(aeRow.failure().operationOutcome()).contains("minimum required = 1");
        // the SUPPAE observation on that AE refers to it: it would make the server refuse the whole subject
        List<MappedResource> referrers = subject.stream().filter(r -> r.resource().fhirType().equals("Observation")).toList();
        assertThat(referrers).isNotEmpty().allSatisfy(r -> {
            assertThat(valid).doesNotContain(r);
            assertThat(((RecordState) r.sources().get(0)).failure().reason())
                    .startsWith("not stored: Observation/").contains("refers to AdverseEvent/" + ae1.resource().getIdPart());
        });
        assertThat(find(valid, "Patient")).isNotNull();
    }

    @Test
    void anInvalidPatientFailsTheWholeSubject() {
        List<MappedResource> subject = out.bySubject().get("S-1-S-1-001");
        List<MappedResource> valid = new ValidateStage(refusing(find(subject, "Patient").resource()), PipelineFixtures.CTX)
                .validate(subject, allChanged(subject), run);
        assertThat(valid).isEmpty();
        assertThat(subject).flatExtracting(MappedResource::sources).allSatisfy(s -> assertThat(((RecordState) s).failed()).isTrue());
        MappedResource ae = find(subject, "AdverseEvent");
        assertThat(((RecordState) ae.sources().get(0)).failure().reason())
                .isEqualTo("not stored: the subject's Patient/ResearchSubject is invalid");
    }

    private static ResourceValidation refusing(Resource bad) {
        return resources -> {
            Map<Resource, OperationOutcome> invalid = new IdentityHashMap<>();
            for (Resource r : resources) {
                if (r == bad) {
                    OperationOutcome oo = new OperationOutcome();
                    oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                            .setDiagnostics("minimum required = 1").addExpression(r.fhirType() + ".seriousness");
                    invalid.put(r, oo);
                }
            }
            return invalid;
        };
    }

    private static MappedResource find(List<MappedResource> resources, String type) {
        return resources.stream().filter(r -> r.resource().fhirType().equals(type)).findFirst().orElse(null);
    }

    private static ChangedResources allChanged(List<MappedResource> resources) {
        return unchangedExcept(resources, resources.toArray(MappedResource[]::new));
    }

    private static ChangedResources unchangedExcept(List<MappedResource> resources, MappedResource... changed) {
        Map<String, String> hashes = new HashMap<>();
        Map<String, String> current = new HashMap<>();
        Set<MappedResource> newOnes = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        newOnes.addAll(List.of(changed));
        for (MappedResource r : resources) {
            hashes.put(MapStage.ref(r), "h-" + MapStage.ref(r));
            current.put(MapStage.ref(r), newOnes.contains(r) ? "old" : "h-" + MapStage.ref(r));
        }
        return ChangedResources.of(hashes, current);
    }

    /** The map stage over a throw-away store: this test is about validation. */
    private static final class MapStageWithoutStore {
        MappedResources map(List<MappableDataset> datasets, DeliveryRun run) {
            return new MapStage(PipelineFixtures.engine(), SubjectDirectory.NONE,
                    PipelineFixtures.store(PipelineFixtures.database())).map(datasets, run);
        }
    }
}
