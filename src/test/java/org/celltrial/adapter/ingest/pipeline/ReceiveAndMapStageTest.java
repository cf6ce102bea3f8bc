package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.mapping.MappedResources;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.AE;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.DM;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.TS;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.delivery;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.read;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

/** Record as received, then map: against a real message store (H2 in memory). */
class ReceiveAndMapStageTest {

    private final JdbcTemplate jdbc = PipelineFixtures.database();
    private final MessageStore store = PipelineFixtures.store(jdbc);

    @Test
    void everyRecordIsReceivedWithItsOriginThenMappedOrFailed() {
        store.beginDelivery("d-1", "site-07", "v1");
        DeliveryRun run = run("d-1");
        // AE row 3 has an impossible date: the mapping rejects it, the others go on
        List<MappableDataset> datasets = read(delivery("ts.csv", TS, "dm.csv", DM, "ae.csv", AE.replace("2021-09-10", "2021-13-45")), run);
        new ReceiveStage(store).receive(datasets, run);
        List<StoredRecord> received = store.records("d-1", Status.RECEIVED);
        assertThat(received).hasSize(6);
        StoredRecord ae1 = received.stream().filter(r -> r.id().equals("d-1/ae.csv/1")).findFirst().orElseThrow();
        assertThat(ae1.file()).isEqualTo("ae.csv");
        assertThat(ae1.row()).isEqualTo(1);
        assertThat(ae1.domain()).isEqualTo("AE");
        assertThat(ae1.studyId()).isEqualTo("S-1");
        assertThat(ae1.rawValues()).isEqualTo(datasets.get(2).records().get(0).raw());
        assertThat(ae1.contentHash()).isEqualTo(datasets.get(2).records().get(0).hash());

        MappedResources out = new MapStage(PipelineFixtures.engine(), SubjectDirectory.NONE, store).map(datasets, run);
        assertThat(store.records("d-1", Status.MAPPED)).hasSize(5);
        assertThat(store.records("d-1", Status.RECEIVED)).extracting(StoredRecord::id).containsExactly("d-1/ae.csv/3");
        RecordState bad = datasets.get(2).records().get(2);
        assertThat(bad.status()).isEqualTo(Status.FAILED);
        assertThat(bad.failure().column()).isEqualTo("AESTDTC");
        assertThat(run.report().render()).contains("ae.csv row 3 column AESTDTC: '2021-13-45'");
        // each record knows what it produced; the study-level resource is built from TS and DM together
        RecordState dm1 = datasets.get(1).records().get(0);
        assertThat(dm1.status()).isEqualTo(Status.MAPPED);
        assertThat(dm1.produced()).contains("Patient/S-1-S-1-001", "ResearchStudy/S-1");
        assertThat(datasets.get(0).records().get(0).produced()).containsExactly("ResearchStudy/S-1");
        assertThat(out.studyLevel()).extracting(r -> r.resource().fhirType()).containsExactly("ResearchStudy");
        assertThat(out.bySubject()).hasSize(2);
    }

    @Test
    void untranslatedValuesAreWarningsInTheStoreAndOnTheRecord() {
        store.beginDelivery("d-1", "site-07", "v1");
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("dm.csv", DM, "ae.csv", AE.replace(",MILD,N,1,2021-05-20", ",VERY BAD,N,1,2021-05-20")), run);
        new ReceiveStage(store).receive(datasets, run);
        new MapStage(PipelineFixtures.engine(), SubjectDirectory.NONE, store).map(datasets, run);
        RecordState ae1 = datasets.get(1).records().get(0);
        assertThat(ae1.failed()).isFalse();
        assertThat(ae1.warnings()).singleElement().satisfies(w -> {
            assertThat(w.variable()).isEqualTo("AESEV");
            assertThat(w.value()).isEqualTo("VERY BAD");
        });
        assertThat(store.records("d-1", Status.MAPPED).stream().filter(r -> r.id().equals(ae1.id())).findFirst().orElseThrow().warnings())
                .contains("VERY BAD");
    }

}
