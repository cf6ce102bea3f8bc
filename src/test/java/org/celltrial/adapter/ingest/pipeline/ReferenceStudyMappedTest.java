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
 * define.xml, and as Dataset-JSON with the same define: resource by resource the same JSON, the define's decodes
 * included. Mapped from scratch each time (no stored resources), so nothing is equal merely because it was kept.
 * The store-and-serve path of the same comparison is {@code it.DefineAndFormatsIT}.
 */
class ReferenceStudyMappedTest {

    @Test
    void xptAndDatasetJsonWithTheirDefineMapToTheSameResources() throws Exception {
        Map<String, String> xpt = mapped("xpt", ".xpt");
        Map<String, String> json = mapped("dataset-json", ".json");
        // ft.json has no XPT twin in the reference folder: its Observations are left out of the comparison
        json.keySet().removeIf(ref -> ref.contains("-FT-"));
        assertThat(xpt).hasSizeGreaterThan(5000);
        assertThat(json.keySet()).isEqualTo(xpt.keySet());
        List<String> differing = xpt.keySet().stream().filter(ref -> !xpt.get(ref).equals(json.get(ref))).limit(5).toList();
        assertThat(differing).as("resources whose JSON differs").isEmpty();
        // the define's decode of DSDECOD (value-level codelist NCOMPLT) is the display of the standardized term
        assertThat(xpt.values()).anyMatch(r -> r.contains("\"code\":\"COMPLETED\",\"display\":\"Completed\""));
    }

    private static Map<String, String> mapped(String folder, String extension) throws Exception {
        List<DeliveryFile> files = new ArrayList<>();
        for (Path f : ReferenceStudy.files(folder, extension)) {
            files.add(DeliveryFile.onDisk(f.getFileName().toString(), f, Files.size(f)));
        }
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
