package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.ingest.store.MessageStore.Status;
import org.celltrial.adapter.ingest.store.MessageStore.StoredRecord;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.AE;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.DM;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.delivery;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.read;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

/** The report stage, and the stored-records stage that starts a reprocess from what it left in the store. */
class ReportStageTest {

    private final MessageStore store = PipelineFixtures.store(PipelineFixtures.database());

    @Test
    void failuresGoToTheStoreWithTheirOutcomeAndWarningsOfStoredRecordsToTheReport() {
        store.beginDelivery("d-1", "site-07", "v1");
        DeliveryRun run = run("d-1");
        String ae = AE.replace(",MILD,N,1,2021-05-20", ",VERY BAD,N,1,2021-05-20") // a warning
                .replace(",MILD,N,1,2021-09-10", ",VERY BAD,N,1,2021-13-45");    // a warning, but the record fails
        List<MappableDataset> datasets = read(delivery("dm.csv", DM, "ae.csv", ae), run);
        new ReceiveStage(store).receive(datasets, run);
        new MapStage(PipelineFixtures.engine(), SubjectDirectory.NONE, store).map(datasets, run);

        ReportStage stage = new ReportStage(store);
        stage.report(datasets, run);
        List<StoredRecord> failed = store.records("d-1", Status.FAILED);
        assertThat(failed).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("d-1/ae.csv/3");
            assertThat(r.reason()).contains("\"resourceType\":\"OperationOutcome\"").contains("ae.csv row 3: column AESTDTC");
        });
        assertThat(run.report().render()).contains("ae.csv column AESEV: 'VERY BAD' has no translation in")
                .contains("(1 row: 1)");

        stage.finish(run);
        MessageStore.DeliverySummary summary = store.deliveries("d-1").get(0);
        assertThat(summary.outcome()).isEqualTo("error");
        assertThat(summary.counts()).containsEntry("failed", 1).containsEntry("mapped", 4);
    }

    @Test
    void aReprocessReadsTheFailedRecordsBackAsDatasetsInProcessingOrder() {
        store.beginDelivery("d-1", "site-07", "v1");
        DeliveryRun first = run("d-1");
        List<MappableDataset> datasets = read(delivery("ae.csv", AE, "dm.csv", DM), first);
        new ReceiveStage(store).receive(datasets, first);
        datasets.forEach(d -> d.records().forEach(r -> first.fail(r, null, "say, the mapping was wrong")));
        new ReportStage(store).report(datasets, first);
        store.received(List.of(new StoredRecord("d-1/zz.csv/1", "d-1", "S-1", "AE", "zz.csv", 1, "h", Status.FAILED, null, "not JSON")));
        store.status(List.of("d-1/zz.csv/1"), Status.FAILED, java.util.Map.of("d-1/zz.csv/1", "{}"), null);

        DeliveryRun again = run("d-1");
        List<MappableDataset> back = new StoredRecordsStage().datasets(store.records("d-1", Status.FAILED), again);
        assertThat(back).extracting(MappableDataset::file).containsExactly("dm.csv", "ae.csv");
        assertThat(back).noneMatch(MappableDataset::complete); // a reprocess never retires
        RecordState dm1 = back.get(0).records().get(0);
        RecordState original = datasets.get(0).records().get(0); // DM comes first
        assertThat(dm1.id()).isEqualTo(original.id());
        assertThat(dm1.hash()).isEqualTo(original.hash());
        assertThat(dm1.raw()).isEqualTo(original.raw());
        assertThat(dm1.get("USUBJID")).isEqualTo("S-1-001");
        assertThat(dm1.failed()).isFalse();
        assertThat(again.report().render()).contains("zz.csv row 1: the stored record could not be read; deliver the file again");
    }
}
