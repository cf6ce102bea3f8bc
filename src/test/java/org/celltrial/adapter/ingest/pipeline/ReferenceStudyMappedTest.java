package org.celltrial.adapter.ingest.pipeline;

import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReader;
import org.celltrial.adapter.ingest.read.DatasetReaders;
import org.celltrial.adapter.ingest.read.ReferenceStudy;
import org.celltrial.adapter.ingest.store.MessageStore;
import org.celltrial.adapter.mapping.MappedResource;
import org.celltrial.adapter.mapping.SubjectDirectory;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.celltrial.adapter.ingest.pipeline.PipelineFixtures.run;

/**
 * The FHIR content the pipeline maps from the CDISC MSG v2 study (data we did not write) as SAS XPORT with its
 * define.xml, as Dataset-JSON with the same define, and with the NDJSON files where the reference has them: resource by
 * resource the same JSON, the define's decodes included. Mapped from scratch each time (no stored resources), so nothing is equal merely because it was kept.
 * The store-and-serve path of the same comparison is {@code it.DefineAndFormatsIT}.
 */
class ReferenceStudyMappedTest {

    @Test
    void xptAndDatasetJsonWithTheirDefineMapToTheSameResources() throws Exception {
        Map<String, String> xpt = mapped("xpt", files("xpt", ".xpt"));
        Map<String, String> json = mapped("dataset-json", files("dataset-json", ".json"));
        // ft.json has no XPT twin in the reference folder: its Observations are left out of the comparison
        json.keySet().removeIf(ref -> ref.contains("-FT-"));
        assertThat(xpt).hasSizeGreaterThan(5000);
        assertThat(json.keySet()).isEqualTo(xpt.keySet());
        List<String> differing = xpt.keySet().stream().filter(ref -> !xpt.get(ref).equals(json.get(ref))).limit(5).toList();
        assertThat(differing).as("resources whose JSON differs").isEmpty();
        // the define's decode of DSDECOD (value-level codelist NCOMPLT) is the display of the standardized term
        assertThat(xpt.values()).anyMatch(r -> r.contains("\"code\":\"COMPLETED\",\"display\":\"Completed\""));

        // the NDJSON form exists for AE, DM, LB and SUPPDM: with Dataset-JSON for the other datasets, the same again
        List<DeliveryFile> mixed = new ArrayList<>(files("dataset-ndjson", ".ndjson"));
        List<String> ndjson = mixed.stream().map(f -> f.name().replace(".ndjson", ".json")).toList();
        assertThat(ndjson).containsExactlyInAnyOrder("ae.json", "dm.json", "lb.json", "suppdm.json");
        files("dataset-json", ".json").stream().filter(f -> !ndjson.contains(f.name())).forEach(mixed::add);
        Map<String, String> withNdjson = mapped("dataset-ndjson", mixed);
        withNdjson.keySet().removeIf(ref -> ref.contains("-FT-"));
        assertThat(withNdjson.keySet()).isEqualTo(xpt.keySet());
        assertThat(xpt.keySet().stream().filter(ref -> !xpt.get(ref).equals(withNdjson.get(ref))).limit(5).toList())
                .as("resources whose JSON differs, NDJSON delivery").isEmpty();
    }

    private static List<DeliveryFile> files(String folder, String extension) throws Exception {
        List<DeliveryFile> files = new ArrayList<>();
        for (Path f : ReferenceStudy.files(folder, extension)) {
            files.add(DeliveryFile.onDisk(f.getFileName().toString(), f, Files.size(f)));
        }
        return files;
    }

    private static Map<String, String> mapped(String folder, List<DeliveryFile> datasetFiles) throws Exception {
        List<DeliveryFile> files = new ArrayList<>(datasetFiles);
        Path define = ReferenceStudy.ROOT.resolve("define.xml");
        files.add(DeliveryFile.onDisk("define.xml", define, Files.size(define)));
        MessageStore store = PipelineFixtures.store(PipelineFixtures.database());
        store.beginDelivery("d-1", folder, "v1");
        DeliveryRun run = run("d-1");
        List<DatasetReader> readers = new ArrayList<>(List.of(new CsvDatasetReader()));
        readers.addAll(DatasetReaders.standard().readers());
        List<MappableDataset> datasets = new ReadStage(new DatasetReaders(readers).readers())
                .read(new Delivery(folder, files), run);
        new ReceiveStage(store).receive(datasets, run);
        Map<String, String> out = new TreeMap<>();
        for (MappedResource r : new MapStage(PipelineFixtures.engine(), SubjectDirectory.NONE, store).map(datasets, run).all()) {
            out.put(MapStage.ref(r), PipelineFixtures.CTX.newJsonParser().encodeResourceToString(r.resource()));
        }
        assertThat(run.report().problems()).as(folder).hasSizeLessThan(run.report().recordsRead() / 100);
        return out;
    }
}
