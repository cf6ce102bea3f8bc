package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReaders;
import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.celltrial.adapter.ingest.read.xpt.XptWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

/** The read stage over every format: SAS XPORT v5, Dataset-JSON and NDJSON, besides CSV. */
class ReadStageFormatsTest {

    private static ReadStage allFormats() {
        List<org.celltrial.adapter.ingest.read.DatasetReader> readers = new ArrayList<>(List.of(new CsvDatasetReader()));
        readers.addAll(DatasetReaders.standard().readers());
        return new ReadStage(new DatasetReaders(readers).readers());
    }

    @Test
    void anOdmExportIsReadAsItsFormsAndADefineXmlBesideItIsNot() throws Exception {
        List<org.celltrial.adapter.ingest.read.DatasetReader> readers = new ArrayList<>(List.of(new CsvDatasetReader()));
        readers.addAll(DatasetReaders.standard().readers());
        readers.add(new org.celltrial.adapter.ingest.read.odm.OdmDatasetReader());
        ReadStage stage = new ReadStage(readers);
        // the mapping set of the REDCap example (MappingConfig compiles it with the SDTM mappings; here alone)
        DeliveryRun run = new DeliveryRun("d-odm", "site-07", new org.celltrial.adapter.mapping.MappingLoader(PipelineFixtures.CTX)
                .loadDirectory(Path.of("mappings/redcap-gecco")), new IngestReport("site-07"), PipelineFixtures.CTX);
        // the define under a name that does not say so: told apart by content
        Delivery delivery = new Delivery("site-07", List.of(
                new DeliveryFile("export.xml", org.celltrial.adapter.ingest.read.odm.RedcapReferenceExport.xmlBytes()),
                new DeliveryFile("metadata.xml", Files.readAllBytes(ReferenceStudy.ROOT.resolve("define.xml")))));
        List<MappableDataset> datasets = stage.read(delivery, run);
        // the two forms the redcap-gecco mapping set maps, subject-defining form first
        assertThat(datasets).extracting(MappableDataset::file)
                .containsExactly("export.xml:FORM.DEMOGRAPHIE", "export.xml:FORM.VITALPARAMETER");
        // one row per form instance (record x event), as the REDCap source delivers them (RedcapSourceIT)
        assertThat(datasets.get(0).records()).hasSize(16);
        assertThat(datasets.get(1).records()).hasSize(27);
        assertThat(datasets.get(0).records().get(0).get("STUDYID")).isEqualTo("Project.NUM");
        assertThat(run.report().render())
                .contains("metadata.xml: not a dataset file")
                .doesNotContain("metadata.xml (whole file)");
    }

    @Test
    void theDatasetsOfAnXptLibraryNameTheirMemberAndADatasetInTwoFormatsIsRejectedInBoth() throws Exception {
        ByteArrayOutputStream lib = new ByteArrayOutputStream();
        try (XptWriter w = new XptWriter(lib)) {
            w.startMember("DM", "Demographics", List.of(XptWriter.Column.character("STUDYID", "Study", 8),
                    XptWriter.Column.character("USUBJID", "Subject", 12), XptWriter.Column.character("SUBJID", "Subj", 4),
                    XptWriter.Column.character("SEX", "Sex", 1)));
            w.row("S-1", "S-1-001", "001", "M");
            w.startMember("AE", "Adverse Events", List.of(XptWriter.Column.character("STUDYID", "Study", 8),
                    XptWriter.Column.character("USUBJID", "Subject", 12), XptWriter.Column.numeric("AESEQ", "Seq"),
                    XptWriter.Column.character("AETERM", "Term", 20)));
            w.row("S-1", "S-1-001", 1.0, "Nausea");
        }
        DeliveryRun run = run("d-1");
        Delivery delivery = new Delivery("site-07", List.of(new DeliveryFile("lib.xpt", lib.toByteArray()),
                new DeliveryFile("ae.csv", PipelineFixtures.AE.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        List<MappableDataset> datasets = allFormats().read(delivery, run);
        assertThat(datasets).extracting(MappableDataset::file).containsExactly("lib.xpt:DM");
        RecordState dm = datasets.get(0).records().get(0);
        assertThat(dm.id()).isEqualTo("d-1/lib.xpt:DM/1");
        assertThat(dm.get("USUBJID")).isEqualTo("S-1-001");
        assertThat(run.report().render())
                .contains("lib.xpt:AE (whole file): dataset AE comes in 2 files of this delivery (lib.xpt:AE, ae.csv)")
                .contains("ae.csv (whole file): dataset AE comes in 2 files");
    }

    @Test
    void theReferenceStudyGivesTheSameRecordsAsXptAsDatasetJsonAndAsNdjson() throws Exception {
        // the reference folder holds 27 datasets as XPT (no FT), 28 as Dataset-JSON and 4 as NDJSON: each pair is
        // compared on the datasets both hold
        Map<String, String> xpt = records("xpt", ".xpt");
        Map<String, String> json = records("dataset-json", ".json");
        Map<String, String> ndjson = records("dataset-ndjson", ".ndjson");
        assertThat(datasets(xpt)).hasSize(27);
        assertThat(datasets(json)).containsAll(datasets(xpt));
        assertThat(datasets(json)).containsAll(datasets(ndjson)).hasSize(28);
        assertThat(datasets(ndjson)).hasSize(4);
        assertThat(differences(only(json, datasets(xpt)), xpt)).as("Dataset-JSON vs XPT").isEmpty();
        assertThat(differences(only(json, datasets(ndjson)), ndjson)).as("Dataset-JSON vs NDJSON").isEmpty();
        assertThat(xpt).hasSizeGreaterThan(1000);
    }

    /** The datasets ("AE ae") of the records. */
    private static java.util.Set<String> datasets(Map<String, String> records) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        records.keySet().forEach(k -> names.add(k.substring(0, k.lastIndexOf(' '))));
        return names;
    }

    private static Map<String, String> only(Map<String, String> records, java.util.Set<String> datasets) {
        Map<String, String> kept = new TreeMap<>(records);
        kept.keySet().removeIf(k -> !datasets.contains(k.substring(0, k.lastIndexOf(' '))));
        return kept;
    }

    /** The first records that differ, each as the two versions. */
    private static List<String> differences(Map<String, String> a, Map<String, String> b) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(a.get(k), b.get(k)) && out.size() < 5) {
                out.add(k + ":\n  " + a.get(k) + "\n  " + b.get(k));
            }
        }
        return out;
    }

    /** Every record the read stage makes of one format's folder: dataset and row → the record as the store keeps it. */
    private static Map<String, String> records(String folder, String extension) throws Exception {
        List<DeliveryFile> files = new ArrayList<>();
        for (Path f : ReferenceStudy.files(folder, extension)) {
            files.add(DeliveryFile.onDisk(f.getFileName().toString(), f, Files.size(f)));
        }
        DeliveryRun run = run("d-1");
        Map<String, String> records = new TreeMap<>();
        for (MappableDataset d : allFormats().read(new Delivery(folder, files), run)) {
            for (RecordState r : d.records()) {
                records.put(d.mapping().domain() + " " + ReferenceStudy.stem(Path.of(r.file())) + " " + r.row(), r.raw());
            }
        }
        assertThat(run.report().problems()).as(folder).isEmpty();
        return records;
    }
}
