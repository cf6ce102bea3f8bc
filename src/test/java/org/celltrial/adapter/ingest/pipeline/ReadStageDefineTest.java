package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReaders;
import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.delivery;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.read;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

/** The read stage with a define.xml in the delivery: types, decodes, report; and the reference study's define. */
class ReadStageDefineTest {

    private static final String DS = """
            STUDYID,DOMAIN,USUBJID,DSSEQ,DSTERM,DSDECOD,DSCAT,DSSTDTC,DSXTRA
            S-1,DS,S-1-001,1,COMPLETED THE STUDY,COMPLETED,DISPOSITION EVENT,2021-06-01,x
            S-1,DS,S-1-001,abc,INFORMED CONSENT,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,2021-05-01,x
            S-1,DS,S-1-002,1,CONSENTED,INFORMED CONSENT OBTAINED,PROTOCOL MILESTONE,2021-05-02,x
            """;

    @Test
    void aValueAgainstItsDeclaredTypeRejectsItsRecordAndTheOthersCarryTheirDecodes() {
        DeliveryRun run = run("d-1");
        List<MappableDataset> datasets = read(delivery("ds.csv", DS, "define.xml", DeliveryDefineTest.DEFINE), run);
        List<RecordState> records = datasets.get(0).records();
        assertThat(records).hasSize(3);
        assertThat(records.get(1).failed()).isTrue();
        assertThat(records.get(1).failure().column()).isEqualTo("DSSEQ");
        assertThat(records.get(1).failure().reason())
                .isEqualTo("the value does not fit the data type 'integer' that the Define-XML declares for DSSEQ")
                .doesNotContain("abc");
        assertThat(records.get(0).failed()).isFalse();
        assertThat(records.get(0).get("DSDECOD.DECODE")).isEqualTo("Completed");
        assertThat(records.get(2).get("DSDECOD.DECODE")).isEqualTo("Informed Consent");
        // the decode is kept with the record in the message store, after its columns
        assertThat(records.get(0).raw()).endsWith("\"DSXTRA\":\"x\",\"DSDECOD.DECODE\":\"Completed\"}");
        String report = run.report().render();
        assertThat(report).contains("ds.csv row 2 column DSSEQ: the value does not fit the data type 'integer'")
                .contains("ds.csv: \"Disposition\"; declared but not in the data: EPOCH; in the data but not declared:"
                        + " DOMAIN, DSXTRA")
                .contains("define.xml describes 1 dataset(s) this delivery does not have: AE")
                .doesNotContain("define.xml: not a dataset file");
        assertThat(run.report().recordsRejected()).isEqualTo(1);
    }

    @Test
    void theMappingsSayWhichDecodesTheyRead() {
        assertThat(PipelineFixtures.mappings().forDomain("DS").orElseThrow().decodedVariables()).containsExactly("DSDECOD");
        assertThat(PipelineFixtures.mappings().forDomain("AE").orElseThrow().decodedVariables()).isEmpty();
    }

    @Test
    void withoutTheDefineTheSameDeliveryIsReadAsBefore() {
        DeliveryRun run = run("d-1");
        List<RecordState> records = read(delivery("ds.csv", DS), run).get(0).records();
        assertThat(records).noneMatch(RecordState::failed);
        assertThat(records).allSatisfy(r -> assertThat(r.values()).doesNotContainKey("DSDECOD.DECODE"));
        assertThat(records.get(0).raw()).isEqualTo(ReadStage.rawJson(new java.util.LinkedHashSet<>(List.of("STUDYID",
                "DOMAIN", "USUBJID", "DSSEQ", "DSTERM", "DSDECOD", "DSCAT", "DSSTDTC", "DSXTRA")), records.get(0).values()));
        assertThat(run.report().render()).doesNotContain("Define-XML");
    }

    @Test
    void aHostileDefineIsAReportedProblemAndTheDatasetsStillLoad() {
        DeliveryRun run = run("d-1");
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><ODM>&b;</ODM>";
        List<MappableDataset> datasets = read(delivery("ds.csv", DS, "Define.XML", bomb), run);
        assertThat(datasets.get(0).records()).hasSize(3).noneMatch(RecordState::failed);
        assertThat(run.report().render()).contains("Define.XML (whole file): Define-XML not used (Define.XML: a DOCTYPE"
                + " is not allowed");
        assertThat(run.report().recordsRejected()).isZero();
    }

    @Test
    void aDefineInsideAZipDeliveryIsUsed(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("study-01/ds.csv", DS.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        entries.put("study-01/metadata/DEFINE.XML", DeliveryDefineTest.DEFINE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path zip = org.celltrial.adapter.it.HostileInputs.zip(tmp.resolve("study-01.zip"), entries);
        DeliveryRun run = run("d-1");
        try (Delivery d = new org.celltrial.adapter.ingest.DeliveryReader(1 << 20, 100, tmp.resolve("spool")).read(zip)) {
            List<RecordState> records = read(d, run).get(0).records();
            assertThat(records.get(1).failure().column()).isEqualTo("DSSEQ");
            assertThat(records.get(0).get("DSDECOD.DECODE")).isEqualTo("Completed");
        }
        assertThat(run.report().render()).contains("DEFINE.XML: Define-XML 2.1.0 with 2 datasets");
    }

    private static ReadStage allFormats() {
        List<DatasetReader> readers = new ArrayList<>(List.of(new CsvDatasetReader()));
        readers.addAll(DatasetReaders.standard().readers());
        return new ReadStage(new DatasetReaders(readers).readers());
    }

    /**
     * The real study (CDISC MSG v2) as SAS XPORT with its define.xml: every value fits the type its define declares, the
     * report lists every dataset with its label, and the XPT and Dataset-JSON deliveries give the same records
     * with the same decodes.
     */
    @Test
    void theReferenceStudyWithItsDefine() throws Exception {
        DeliveryRun xptRun = run("d-1");
        Map<String, String> xpt = records("xpt", ".xpt", xptRun);
        DeliveryRun jsonRun = run("d-2");
        Map<String, String> json = records("dataset-json", ".json", jsonRun);
        assertThat(xptRun.report().problems()).isEmpty();
        assertThat(jsonRun.report().problems()).isEmpty();
        String report = xptRun.report().render();
        assertThat(report).contains("ae.xpt: \"Adverse Events\"; declared but not in the data: none")
                .contains("dm.xpt: \"Demographics\"")
                .contains("define.xml describes 4 dataset(s) this delivery does not have: FT, NV, SUPPNV, SUPPOE");
        // DSDECOD is decoded through its value-level metadata (codelist chosen by DSSCAT)
        assertThat(xpt.values()).anyMatch(raw -> raw.contains("\"DSDECOD.DECODE\":\"Completed\""));
        assertThat(xpt.values()).anyMatch(raw -> raw.contains("\"DSDECOD.DECODE\":\"Informed Consent\""));
        // SEX has a codelist with decodes too, but no mapping reads SEX.DECODE: not added, the record stays as delivered
        assertThat(xpt.values()).noneMatch(raw -> raw.contains("SEX.DECODE"));
        assertThat(xpt.values().stream().filter(raw -> raw.contains(".DECODE")).count())
                .isEqualTo(xpt.keySet().stream().filter(k -> k.startsWith("DS ")).count());
        json.keySet().removeIf(k -> k.startsWith("FT ")); // no ft.xpt in the reference folder
        assertThat(json).isEqualTo(xpt);
    }

    private static Map<String, String> records(String folder, String extension, DeliveryRun run) throws Exception {
        List<DeliveryFile> files = new ArrayList<>();
        for (Path f : ReferenceStudy.files(folder, extension)) {
            files.add(DeliveryFile.onDisk(f.getFileName().toString(), f, Files.size(f)));
        }
        Path define = ReferenceStudy.ROOT.resolve("define.xml");
        files.add(DeliveryFile.onDisk("define.xml", define, Files.size(define)));
        Map<String, String> records = new TreeMap<>();
        for (MappableDataset d : allFormats().read(new Delivery(folder, files), run)) {
            for (RecordState r : d.records()) {
                records.put(d.mapping().domain() + " " + ReferenceStudy.stem(Path.of(r.file())) + " " + r.row(), r.raw());
            }
        }
        return records;
    }
}
