package org.celltrial.adapter.ingest.source;

import org.celltrial.adapter.ingest.IngestProperties;
import org.celltrial.adapter.ingest.source.redcap.RedcapSource;
import org.celltrial.adapter.mapping.MappingFolders;
import org.celltrial.adapter.mapping.MappingProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configured sources ({@code celltrial.sources}), checked at start: unique ids, a known type, a mapping set that
 * exists under the mapping folder, secrets readable. A wrong source stops start-up naming it (and never its secret).
 */
@Configuration
@EnableConfigurationProperties(SourcesProperties.class)
public class SourcesConfig {

    @Bean
    public SourceStateStore sourceStateStore(JdbcTemplate jdbc) {
        SourceStateStore store = new SourceStateStore(jdbc);
        store.createSchema();
        return store;
    }

    @Bean
    public SourceRunner sourceRunner(SourcesProperties props, IngestProperties ingest, MappingProperties mapping, SourceStateStore store,
                                     org.springframework.beans.factory.ObjectProvider<org.apache.camel.CamelContext> camel) {
        Secrets secrets = Secrets.fromEnvironment();
        List<Source> sources = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<String> sets = Files.isDirectory(mapping.mappings()) ? MappingFolders.sets(mapping.mappings()) : null;
        for (SourceDefinition d : props.sources()) {
            if (!ids.add(d.id()) || d.id().equals("inbox")) {
                throw new IllegalArgumentException("celltrial.sources: id '" + d.id() + "' is used twice (or is 'inbox')");
            }
            if (sets != null && !sets.contains(d.mappingSet())) {
                throw new IllegalArgumentException("source " + d.id() + ": mapping set '" + d.mappingSet()
                        + "' not found under " + mapping.mappings() + " (have " + sets + ")");
            }
            sources.add(create(d, secrets, camel::getObject));
        }
        return new SourceRunner(sources, store, new DeliveryHandover(ingest.inbox()));
    }

    static Source create(SourceDefinition d, Secrets secrets, java.util.function.Supplier<org.apache.camel.CamelContext> camel) {
        return switch (d.type()) {
            case "redcap" -> new RedcapSource(d, secrets);
            case "sftp" -> new org.celltrial.adapter.ingest.source.sftp.SftpSource(d, secrets, camel);
            case "jdbc" -> new org.celltrial.adapter.ingest.source.jdbc.JdbcSource(d, secrets);
            default -> throw new IllegalArgumentException("source " + d.id() + ": unknown type '" + d.type()
                    + "' (redcap, jdbc, sftp)");
        };
    }
}
