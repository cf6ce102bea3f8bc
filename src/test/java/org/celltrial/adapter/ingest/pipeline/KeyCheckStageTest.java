package org.celltrial.adapter.ingest.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.AE;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.DM;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.delivery;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.read;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

class KeyCheckStageTest {

    @Test
    void rowsSharingTheirKeyAreAllRejectedNamingEachOther() {
        DeliveryRun run = run("d-1");
        String ae = AE + "S-1,AE,s-1-001 ,2,Headache,Headache,MILD,N,1,2021-05-22\n"; // the key compares like terminology
        List<MappableDataset> datasets = read(delivery("dm.csv", DM, "ae.csv", ae), run);
        new KeyCheckStage().rejectDuplicateKeys(datasets, run);
        List<RecordState> records = datasets.get(1).records();
        assertThat(records).extracting(RecordState::failed).containsExactly(false, true, false, true);
        assertThat(records.get(1).failure().column()).isEqualTo("STUDYID, USUBJID, AESEQ");
        assertThat(records.get(1).failure().reason())
                .isEqualTo("duplicate key: ae.csv row 2, ae.csv row 4 share the key (STUDYID, USUBJID, AESEQ); none of them was stored");
        assertThat(datasets.get(0).records()).noneMatch(RecordState::failed);
        assertThat(run.report().recordsRejected()).isEqualTo(2);
    }

    @Test
    void theFilesOfASplitDatasetShareOneKeySpace() {
        String qs = """
                STUDYID,DOMAIN,USUBJID,QSSEQ,QSTESTCD,QSTEST,QSORRES
                S-1,QS,S-1-001,1,Q1,Question 1,3
                """;
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("qsph.csv", qs, "qssl.csv", qs), run);
        new KeyCheckStage().rejectDuplicateKeys(datasets, run);
        assertThat(datasets).flatExtracting(MappableDataset::records).allMatch(RecordState::failed);
        assertThat(datasets.get(0).records().get(0).failure().reason()).contains("qsph.csv row 1", "qssl.csv row 1");
    }

    @Test
    void recordsAlreadyFailedDoNotMakeOthersDuplicates() {
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("dm.csv", DM + DM.substring(DM.indexOf('\n') + 1)), run);
        datasets.get(0).records().subList(2, 4).forEach(r -> run.fail(r, null, "rejected earlier"));
        new KeyCheckStage().rejectDuplicateKeys(datasets, run);
        assertThat(datasets.get(0).records()).extracting(RecordState::failed).containsExactly(false, false, true, true);
    }
}
