package org.celltrial.adapter.ingest.read;

import org.celltrial.adapter.ingest.read.ReferenceStudy.ReadDataset;
import org.celltrial.adapter.ingest.read.json.DatasetJsonReader;
import org.celltrial.adapter.ingest.read.xpt.XptDatasetReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same study in three formats must give the same rows: every dataset of the CDISC reference study, every row,
 * every column, value by value, XPT (written by SAS) against Dataset-JSON, and NDJSON against Dataset-JSON.
 */
class ReferenceStudyFormatsTest {

    @Test
    void xptAndDatasetJsonGiveIdenticalValues() throws Exception {
        List<String> differences = new ArrayList<>();
        List<Path> xpts = ReferenceStudy.files("xpt", ".xpt");
        assertThat(xpts).hasSize(27);
        for (Path xpt : xpts) {
            Path json = ReferenceStudy.ROOT.resolve("dataset-json").resolve(ReferenceStudy.stem(xpt) + ".json");
            List<ReadDataset> fromXpt = ReferenceStudy.readAll(new XptDatasetReader(), xpt);
            List<ReadDataset> fromJson = ReferenceStudy.readAll(new DatasetJsonReader(), json);
            assertThat(fromXpt).hasSize(1);
            assertThat(fromJson).hasSize(1);
            compare(xpt.getFileName() + " vs " + json.getFileName(), fromXpt.get(0), fromJson.get(0), differences);
        }
        differences.forEach(System.out::println);
        assertThat(differences).isEmpty();
        // sum of records x columns over the 27 datasets, counted from the JSON files with another tool (python)
        assertThat(compared[0]).isEqualTo(199_558);
    }

    @Test
    void ndjsonAndJsonGiveIdenticalRowsAndMetadata() throws Exception {
        List<String> differences = new ArrayList<>();
        List<Path> ndjsons = ReferenceStudy.files("dataset-ndjson", ".ndjson");
        assertThat(ndjsons).hasSize(4);
        for (Path ndjson : ndjsons) {
            Path json = ReferenceStudy.ROOT.resolve("dataset-json").resolve(ReferenceStudy.stem(ndjson) + ".json");
            ReadDataset fromNdjson = ReferenceStudy.readAll(new DatasetJsonReader(), ndjson).get(0);
            ReadDataset fromJson = ReferenceStudy.readAll(new DatasetJsonReader(), json).get(0);
            compare(ndjson.getFileName() + " vs " + json.getFileName(), fromNdjson, fromJson, differences);
            assertThat(fromNdjson.metadata()).isEqualTo(fromJson.metadata());
        }
        differences.forEach(System.out::println);
        assertThat(differences).isEmpty();
        // ae 74 x 37, dm 18 x 26, lb 3488 x 23, suppdm 3 x 10 (python over the JSON files)
        assertThat(compared[0]).isEqualTo(74 * 37 + 18 * 26 + 3488 * 23 + 3 * 10);
    }

    @Test
    void everyDatasetJsonFileReadsWithoutProblemRows() throws Exception {
        List<Path> jsons = ReferenceStudy.files("dataset-json", ".json");
        assertThat(jsons).hasSize(28);
        for (Path json : jsons) {
            ReadDataset dataset = ReferenceStudy.readAll(new DatasetJsonReader(), json).get(0);
            assertThat(dataset.metadata().name()).isEqualTo(ReferenceStudy.stem(json).toUpperCase());
            assertThat(dataset.rows()).isNotEmpty().allSatisfy(row -> assertThat(row.problem()).isNull());
            assertThat(dataset.metadata().variables()).allSatisfy(v -> assertThat(v.itemOid())
                    .isEqualTo("IT." + dataset.metadata().name() + "." + v.name()));
        }
    }

    private final long[] compared = {0};

    void compare(String what, ReadDataset left, ReadDataset right, List<String> differences) {
        DatasetMetadata l = left.metadata();
        DatasetMetadata r = right.metadata();
        if (!l.name().equals(r.name())) {
            differences.add(what + ": name " + l.name() + " vs " + r.name());
        }
        if (!l.label().equals(r.label())) {
            differences.add(what + ": label " + l.label() + " vs " + r.label());
        }
        List<String> leftNames = l.variables().stream().map(DatasetMetadata.Variable::name).toList();
        List<String> rightNames = r.variables().stream().map(DatasetMetadata.Variable::name).toList();
        if (!leftNames.equals(rightNames)) {
            differences.add(what + ": variables " + leftNames + " vs " + rightNames);
            return;
        }
        for (int i = 0; i < l.variables().size(); i++) {
            if (!l.variables().get(i).label().equals(r.variables().get(i).label())) {
                differences.add(what + ": label of " + leftNames.get(i) + ": " + l.variables().get(i).label() + " vs "
                        + r.variables().get(i).label());
            }
        }
        if (left.rows().size() != right.rows().size()) {
            differences.add(what + ": " + left.rows().size() + " rows vs " + right.rows().size());
            return;
        }
        for (int i = 0; i < left.rows().size(); i++) {
            DatasetRow a = left.rows().get(i);
            DatasetRow b = right.rows().get(i);
            if (a.problem() != null || b.problem() != null) {
                differences.add(what + ": row " + (i + 1) + " problem " + a.problem() + " / " + b.problem());
                continue;
            }
            if (a.number() != i + 1 || b.number() != i + 1) {
                differences.add(what + ": row " + (i + 1) + " numbered " + a.number() + " / " + b.number());
            }
            for (String name : leftNames) {
                String x = a.values().get(name);
                String y = b.values().get(name);
                compared[0]++;
                if (x == null || !x.equals(y)) {
                    differences.add(what + ": row " + (i + 1) + " " + name + ": [" + x + "] vs [" + y + "]");
                }
            }
        }
    }
}
