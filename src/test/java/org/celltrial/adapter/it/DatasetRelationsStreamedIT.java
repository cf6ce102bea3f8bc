package org.celltrial.adapter.it;

import org.celltrial.adapter.ingest.pipeline.DeliveryPipeline;
import org.celltrial.adapter.ingest.pipeline.StreamedDelivery;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DatasetRelationsIT} with every delivery streamed, three subjects at a time: RELREC's dataset-level rows are
 * mapped in the study session, the records they relate in their subjects' chunks, which resolve the relations they
 * learnt from it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatasetRelationsStreamedIT {

    static final Path DATA = TestData.newDataDir("relations-streamed");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        TestData.h2Properties(r, DATA);
        r.add("celltrial.ingest.stream-above-bytes", () -> "0");
        r.add("celltrial.ingest.subjects-per-chunk", () -> "3");
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DeliveryPipeline pipeline;

    @Test
    void datasetLevelRelationsLandAndAreRetiredWhenStreamed() throws Exception {
        DatasetRelationsIT.landAndRetire(DATA, port, () -> {
            // the relations above were resolved across sessions: CDISC's 18 subjects in chunks of at most three
            StreamedDelivery.Held held = pipeline.lastHeld();
            assertThat(held).as("the delivery took the streamed path").isNotNull();
            assertThat(held.maxSubjects()).isLessThanOrEqualTo(3);
            assertThat(held.chunks()).isGreaterThanOrEqualTo(6);
        });
    }
}
