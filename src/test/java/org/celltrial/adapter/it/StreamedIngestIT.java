package org.celltrial.adapter.it;

import org.celltrial.adapter.cli.SyntheticStudyGenerator;
import org.celltrial.adapter.ingest.pipeline.DeliveryPipeline;
import org.celltrial.adapter.ingest.pipeline.StreamedDelivery;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streamed path of issue 15 (every delivery streamed here: {@code stream-above-bytes=0}), on a synthetic study of
 * 700 subjects (~21,000 records) with 50 subjects per chunk: the pipeline's own counters show that no chunk held more
 * than 50 subjects, and the records of at most those, while every record landed; an identical re-delivery writes
 * nothing; duplicate keys are rejected naming both rows, and a removed row is retired, as on the in-memory path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamedIngestIT {

    static final Path DATA = TestData.newDataDir("streamed");
    static final int SUBJECTS = 700;
    static final int CHUNK = 50;
    static SyntheticStudyGenerator.Summary study;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.ingest.stream-above-bytes", () -> "0");
        r.add("celltrial.ingest.subjects-per-chunk", () -> String.valueOf(CHUNK));
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DeliveryPipeline pipeline;

    private AdapterHarness.Outcome deliver(Path source, String name) throws Exception {
        AdapterHarness harness = new AdapterHarness(DATA, port);
        harness.dropFolder(source, name);
        return harness.awaitOutcome(name, Duration.ofMinutes(5));
    }

    @Test
    @Order(1)
    void aBigDeliveryHoldsOneChunkOfSubjectsAtATime() throws Exception {
        study = SyntheticStudyGenerator.write(DATA.resolve("study"), "STREAM-1", SUBJECTS, 7);
        AdapterHarness.Outcome outcome = deliver(DATA.resolve("study"), "v1");

        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        assertThat(outcome.report()).contains("OK - all " + study.records() + " records stored");
        StreamedDelivery.Held held = pipeline.lastHeld();
        assertThat(held.chunks()).isEqualTo((SUBJECTS + CHUNK - 1) / CHUNK);
        assertThat(held.maxSubjects()).isEqualTo(CHUNK);
        // a chunk holds its subjects' records only: on average ~30 a subject here, never the delivery
        int perSubject = (study.records() - study.ts()) / SUBJECTS;
        assertThat(held.maxRecords()).isBetween(CHUNK, CHUNK * perSubject * 2);
        // the study session: TS, and DM (one record a subject) for the ResearchStudy it adds to
        assertThat(held.studySessionRecords()).isEqualTo(study.ts() + study.dm());
        Bundle patients = new AdapterHarness(DATA, port).client().search().byUrl("Patient?_summary=count")
                .returnBundle(Bundle.class).execute();
        assertThat(patients.getTotal()).isEqualTo(SUBJECTS);
    }

    @Test
    @Order(2)
    void anIdenticalRedeliveryWritesNothing() throws Exception {
        AdapterHarness.Outcome outcome = deliver(DATA.resolve("study"), "v1-again");

        assertThat(outcome.area()).as(outcome.report()).isEqualTo("done");
        assertThat(outcome.report()).contains("OK - all " + study.records() + " records stored")
                .contains("FHIR resources written: 0");
    }

    @Test
    @Order(3)
    void duplicateKeysAreRejectedAndRemovedRowsRetired() throws Exception {
        Path v2 = DATA.resolve("study-v2");
        FileSystemUtils.copyRecursively(DATA.resolve("study"), v2);
        List<String> ex = new ArrayList<>(Files.readAllLines(v2.resolve("ex.csv")));
        ex.add(ex.get(1)); // the first EX row again: same USUBJID and EXSEQ
        Files.write(v2.resolve("ex.csv"), ex);
        List<String> ce = new ArrayList<>(Files.readAllLines(v2.resolve("ce.csv")));
        ce.remove(ce.size() - 1);
        Files.write(v2.resolve("ce.csv"), ce);

        AdapterHarness.Outcome outcome = deliver(v2, "v2");

        assertThat(outcome.area()).isEqualTo("error");
        int last = ex.size() - 1;
        String duplicate = "duplicate key: ex.csv row 1, ex.csv row " + last + " share the key";
        // both rows rejected, each naming the other
        assertThat(outcome.report().split(java.util.regex.Pattern.quote(duplicate), -1)).hasSize(3);
        assertThat(outcome.report())
                .contains("PROBLEMS - " + (study.records() - 2) + " of " + study.records() + " records stored, 2 rejected")
                .contains("ce.csv: 1 resource(s) of study STREAM-1 no longer have a source row and were retired");
    }

}
