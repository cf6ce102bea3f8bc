package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
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

/** What one subject's part of a transaction holds, from real mapped resources (the writing itself: the ITs). */
class SubjectWriteTest {

    @Test
    void unchangedResourcesAreLeftOutAndTheOthersCarryProvenanceHashAndWorklistEntries() {
        DeliveryRun run = run("d-1");
        String ae = AE.replace(",MILD,N,1,2021-05-20", ",VERY BAD,N,1,2021-05-20"); // AE 1 keeps a value as text
        List<MappableDataset> datasets = read(delivery("dm.csv", DM, "ae.csv", ae), run);
        MappedResources out = new MapStage(PipelineFixtures.engine(), SubjectDirectory.NONE,
                PipelineFixtures.store(PipelineFixtures.database())).map(datasets, run);
        List<MappedResource> subject = out.bySubject().values().iterator().next();
        MappedResource patient = subject.stream().filter(r -> r.resource().fhirType().equals("Patient")).findFirst().orElseThrow();
        MappedResource ae1 = subject.stream().filter(r -> r.resource().getIdPart().endsWith("-AE-1")).findFirst().orElseThrow();

        Map<String, String> hashes = new HashMap<>();
        Map<String, String> current = new HashMap<>();
        subject.forEach(r -> hashes.put(MapStage.ref(r), "new-" + MapStage.ref(r)));
        subject.forEach(r -> current.put(MapStage.ref(r), r == patient ? "new-" + MapStage.ref(r) : "old"));
        Set<RecordState> records = Collections.newSetFromMap(new IdentityHashMap<>());
        subject.forEach(r -> r.sources().forEach(s -> records.add((RecordState) s)));

        SubjectWrite w = SubjectWrite.of(subject, records, ChangedResources.of(hashes, current), run);
        assertThat(w.resources()).hasSize(subject.size() - 1).doesNotContain(patient.resource());
        assertThat(w.provenance()).containsOnlyKeys(List.of(Arrays.asList("S-1", patient.subjectId())));
        assertThat(w.states()).extracting(s -> s.ref()).doesNotContain(MapStage.ref(patient)).contains(MapStage.ref(ae1));
        assertThat(w.states()).filteredOn(s -> s.ref().equals(MapStage.ref(ae1))).singleElement().satisfies(s -> {
            assertThat(s.domain()).isEqualTo("AE");
            assertThat(s.sourceHash()).isEqualTo("new-" + MapStage.ref(ae1));
            assertThat(s.deliveryId()).isEqualTo("d-1");
            assertThat(s.studyId()).isEqualTo("S-1");
        });
        assertThat(w.termUses()).singleElement().satisfies(u -> {
            assertThat(u.ref()).isEqualTo(MapStage.ref(ae1));
            assertThat(u.variable()).isEqualTo("AESEV");
        });
        assertThat(w.records()).isSameAs(records);
    }
}
