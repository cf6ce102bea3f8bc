package org.celltrial.adapter.ingest;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.List;

/** Beans that keep hostile or broken deliveries from stopping the ingest (settings: {@link IngestSafetyProperties}). */
@Configuration
public class IngestSafetyConfig {

    @Bean(destroyMethod = "close")
    public DeliveryGuard deliveryGuard() {
        return new DeliveryGuard();
    }

    @Bean
    public DiskSpace diskSpace(IngestProperties props, IngestSafetyProperties safety,
                               @Value("${celltrial.data-dir:./data}") Path dataDir) {
        return new DiskSpace(List.of(dataDir, props.inbox(), props.work(), props.done(), props.error(), safety.spool()),
                safety.minFreeDisk().toBytes());
    }

    @Bean
    public InboxPoller inboxPoller(Inbox inbox, DeliveryGuard guard, DiskSpace disk) {
        return new InboxPoller(inbox, guard, disk);
    }
}
