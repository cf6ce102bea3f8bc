package org.celltrial.adapter.mapping;

import org.celltrial.adapter.ingest.read.CsvDatasetReader;
import org.celltrial.adapter.ingest.read.DatasetRow;
import org.celltrial.adapter.ingest.read.LoadedDataset;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.ResearchStudy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every record of both synthetic demo studies maps with the real mapping files, in the ingest order:
 * 1 ResearchStudy + 5 Patients + 5 ResearchSubjects + one resource per PR, EX, AE and CE row.
 */
class DemoStudiesMappingTest {

    private static final Path DEMO = Path.of("src/main/resources/demo-studies");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "nk-aml-haplo, NKAML-P1, 59",
            "nk-nb-auto,   NKNB-P12, 74",
    })
    void wholeDemoStudyMapsWithoutRejections(String folder, String studyId, int expectedResources) throws Exception {
        List<LoadedDataset> datasets = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEMO.resolve(folder))) {
            for (Path f : files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                String domain = name.substring(0, name.length() - 4).toUpperCase(Locale.ROOT);
                LoadedDataset ds = LoadedDataset.readOne(new CsvDatasetReader(), name, new java.io.ByteArrayInputStream(read(f)));
                assertThat(ds.name()).isEqualTo(domain);
                assertThat(ds.problems()).as(name).isEmpty();
                assertThat(Fixtures.domain(domain).missingColumns(ds.columns())).as(name).isEmpty();
                datasets.add(ds);
            }
        }
        datasets.sort((a, b) -> MappingSet.processingOrder().compare(Fixtures.domain(a.name()), Fixtures.domain(b.name())));

        MappingSession s = Fixtures.session();
        List<String> rejected = new ArrayList<>();
        for (LoadedDataset ds : datasets) {
            for (DatasetRow row : ds.rows()) {
                SourceRecord r = new SourceRecord(ds.name().toLowerCase(Locale.ROOT) + ".csv", row.number(), row.values());
                try {
                    s.map(Fixtures.domain(ds.name()), r);
                } catch (RecordMappingException e) {
                    rejected.add(r.origin() + " " + e.column() + ": " + e.getMessage());
                }
            }
        }
        assertThat(rejected).isEmpty();
        assertThat(s.result().studyLevel()).extracting(m -> m.resource().fhirType()).containsExactly("ResearchStudy");
        assertThat(s.result().bySubject()).hasSize(5);
        assertThat(s.result().size()).isEqualTo(expectedResources);
        ResearchStudy study = Fixtures.resource(s, ResearchStudy.class, studyId);
        assertThat(study.hasTitle()).isTrue();
        assertThat(study.getArm()).hasSize(1);
        assertThat(Fixtures.all(s, Procedure.class)).allSatisfy(p -> assertThat(p.getPerformedPeriod().hasStart()).isTrue());
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
