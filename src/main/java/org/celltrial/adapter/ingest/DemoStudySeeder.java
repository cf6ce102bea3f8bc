package org.celltrial.adapter.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * On the first start (no marker file in the data folder) drops the bundled synthetic demo studies into the
 * inbox, so that a new user sees both studies in the FHIR server without preparing any data.
 * Each study is staged under a hidden name and renamed into place, so it is never picked up half-copied.
 */
@Component
@ConditionalOnProperty(prefix = "celltrial.ingest", name = "seed-demo-studies", havingValue = "true")
public class DemoStudySeeder implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoStudySeeder.class);

    private final IngestProperties props;

    public DemoStudySeeder(IngestProperties props) {
        this.props = props;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        Path marker = props.done().resolve(".demo-studies-seeded");
        if (Files.exists(marker)) {
            return;
        }
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:demo-studies/*/*.csv");
        java.util.Map<String, Path> staged = new java.util.TreeMap<>();
        for (Resource file : files) {
            String url = file.getURL().toString();
            String study = url.substring(0, url.lastIndexOf('/'));
            study = study.substring(study.lastIndexOf('/') + 1);
            Path dir = staged.computeIfAbsent(study, s -> props.inbox().resolve(".seeding-" + s));
            Files.createDirectories(dir);
            try (InputStream in = file.getInputStream()) {
                Files.copy(in, dir.resolve(file.getFilename()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (java.util.Map.Entry<String, Path> e : staged.entrySet()) {
            Files.move(e.getValue(), props.inbox().resolve("demo-" + e.getKey()), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.createDirectories(props.done());
        Files.writeString(marker, "demo studies dropped into the inbox: " + staged.keySet() + "\n");
        log.info("Dropped {} demo studies into {}", staged.size(), props.inbox());
    }
}
