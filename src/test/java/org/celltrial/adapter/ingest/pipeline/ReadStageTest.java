package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetSource;
import org.celltrial.adapter.mapping.FhirIds;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.AE;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.DM;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.TS;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.delivery;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.read;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

class ReadStageTest {

    @Test
    void datasetsComeInProcessingOrderWithOneStatePerRecord() {
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("ae.csv", AE, "DM.csv", DM, "ts.csv", TS), run);
        assertThat(datasets).extracting(d -> d.mapping().domain()).containsExactly("TS", "DM", "AE");
        assertThat(datasets).allMatch(MappableDataset::complete);
        RecordState first = datasets.get(2).records().get(0);
        assertThat(first.id()).isEqualTo("d-1/ae.csv/1");
        assertThat(first.file()).isEqualTo("ae.csv");
        assertThat(first.row()).isEqualTo(1);
        assertThat(first.domain()).isEqualTo("AE");
        assertThat(first.raw()).startsWith("{\"STUDYID\":\"S-1\",\"DOMAIN\":\"AE\",\"USUBJID\":\"S-1-001\",\"AESEQ\":\"1\"");
        assertThat(first.hash()).isEqualTo(FhirIds.sha256Hex(first.raw()));
        assertThat(first.failed()).isFalse();
        assertThat(run.report().recordsRead()).isEqualTo(6);
        assertThat(run.report().render()).contains("ae.csv (AE): 3 rows", "DM.csv (DM): 2 rows");
    }

    @Test
    void aSasMissingValueIsKeptInTheRawRecordAsTheMappingReadsIt() {
        List<MappableDataset> datasets = read(delivery("dm.csv", DM.replace("IRN\nS-1,DM,S-1-002", ".\nS-1,DM,S-1-002")),
                run("d-1"));
        assertThat(datasets.get(0).records().get(0).raw()).contains("\"COUNTRY\":\"\"");
        assertThat(datasets.get(0).records().get(0).values()).containsEntry("COUNTRY", ".");
    }

    @Test
    void filesNoReaderTakesAreNotedAndADeliveryWithoutDatasetsIsRejected() {
        DeliveryRun run = run("d-1");
        assertThat(read(delivery("define.txt", "<ODM/>", "notes.txt", "hello"), run)).isEmpty();
        assertThat(run.report().render())
                .contains("define.txt: not a dataset file (read here: CSV), ignored")
                .contains("notes.txt: not a dataset file (read here: CSV), ignored")
                .contains("site-07 (whole file): no SDTM datasets found in the delivery");
    }

    @Test
    void theReaderIsChosenByFileNameFromTheList() {
        DatasetReader xpt = new DatasetReader() {
            @Override
            public String format() {
                return "SAS XPORT v5";
            }

            @Override
            public boolean reads(String fileName) {
                return fileName.endsWith(".xpt");
            }

            @Override
            public DatasetSource open(String fileName, InputStream in) {
                throw new AssertionError("not opened in this test");
            }
        };
        ReadStage stage = new ReadStage(List.of(new CsvDatasetReader(), xpt));
        assertThat(stage.readerFor("ae.xpt")).isSameAs(xpt);
        assertThat(stage.readerFor("ae.CSV")).isInstanceOf(CsvDatasetReader.class);
        assertThat(stage.readerFor("define.xml")).isNull();
        DeliveryRun run = run("d-1");
        stage.read(delivery("notes.txt", "x"), run);
        assertThat(run.report().render()).contains("notes.txt: not a dataset file (read here: CSV, SAS XPORT v5), ignored");
    }

    @Test
    void twoFilesForOneDatasetRejectBothAndLoadNeither() {
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("dm.csv", DM, "ae.csv", AE, "AE.CSV", AE), run);
        assertThat(datasets).extracting(MappableDataset::file).containsExactly("dm.csv");
        assertThat(run.report().render())
                .contains("ae.csv (whole file): dataset AE comes in 2 files of this delivery (ae.csv, AE.CSV); none of them was loaded")
                .contains("AE.CSV (whole file): dataset AE comes in 2 files");
        assertThat(run.report().recordsRead()).isEqualTo(2);
    }

    @Test
    void splitDatasetsAreMappedAsTheDomainTheirDomainColumnNames() {
        String qs = """
                STUDYID,DOMAIN,USUBJID,QSSEQ,QSTESTCD,QSTEST,QSORRES
                S-1,QS,S-1-001,%d,Q1,Question 1,3
                """;
        List<MappableDataset> datasets = read(delivery("qsph.csv", qs.formatted(1), "qssl.csv", qs.formatted(2)), run("d-1"));
        assertThat(datasets).extracting(d -> d.mapping().domain()).containsExactly("QS", "QS");
        assertThat(datasets).flatExtracting(MappableDataset::records).extracting(RecordState::domain).containsOnly("QS");
    }

    @Test
    void aDatasetNoMappingCoversIsListedAsNotMapped() {
        DeliveryRun run = run("d-1");
        assertThat(read(delivery("xx.csv", "STUDYID,FOO\nS-1,bar\n"), run)).isEmpty();
        assertThat(run.report().render()).contains("Not mapped").contains("xx.csv (XX): 1 rows");
        assertThat(run.report().hasProblems()).isFalse();
    }

    @Test
    void aMissingRequiredColumnRejectsTheFileAndFailsEveryRecordWithOneReportLine() {
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("ae.csv", AE.replace("AETERM", "AEXXX")), run);
        assertThat(datasets).singleElement().satisfies(d -> {
            assertThat(d.complete()).isFalse();
            assertThat(d.records()).hasSize(3).allSatisfy(r -> {
                assertThat(r.failed()).isTrue();
                assertThat(r.failure().reason()).isEqualTo("required column AETERM missing from the header row");
                assertThat(r.failure().operationOutcome()).contains("ae.csv row " + r.row() + ": required column AETERM");
            });
        });
        assertThat(run.report().problems()).singleElement().satisfies(p -> assertThat(p.location()).isEqualTo("ae.csv (whole file) column AETERM"));
        assertThat(run.report().recordsRejected()).isEqualTo(3);
    }

    @Test
    void unreadableFilesAndUnreadableRowsAreRejectedTheOthersGoOn() {
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("dm.csv", DM + "S-1,DM,S-1-003\n", "ae.csv", "STUDYID,ae,AE\n"), run);
        assertThat(datasets).singleElement().satisfies(d -> {
            assertThat(d.records()).hasSize(2);
            assertThat(d.complete()).isFalse(); // a row could not be read: this delivery retires nothing of DM
        });
        assertThat(run.report().render())
                .contains("ae.csv (whole file): ae.csv: column AE appears twice in the header")
                .contains("dm.csv row 3: row has 3 fields but the header has 10");
        assertThat(run.report().recordsRead()).isEqualTo(3);
        assertThat(run.report().recordsRejected()).isEqualTo(1);
    }
}
