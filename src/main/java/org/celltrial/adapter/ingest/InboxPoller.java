package org.celltrial.adapter.ingest;

import org.celltrial.adapter.ingest.pipeline.LogSafe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One poll of the inbox: the deliveries ready to be claimed, or none while the disk is low or an abandoned attempt is
 * still stopping. Never throws, whatever the inbox holds or the file system does: the scheduler that calls it must
 * keep polling. A reason for waiting is logged when it starts and when it ends, not at every poll.
 */
public final class InboxPoller {

    private static final Logger log = LoggerFactory.getLogger(InboxPoller.class);

    private final Inbox inbox;
    private final DeliveryGuard guard;
    private final DiskSpace disk;
    private String waitingFor;

    public InboxPoller(Inbox inbox, DeliveryGuard guard, DiskSpace disk) {
        this.inbox = inbox;
        this.guard = guard;
        this.disk = disk;
    }

    public synchronized List<Path> poll() {
        guard.pollStarted();
        try {
            if (guard.abandonedStillRunning()) {
                waiting("abandoned", "an abandoned delivery is still stopping; new deliveries wait in the inbox");
                return List.of();
            }
            List<String> low = disk.low();
            if (!low.isEmpty()) {
                waiting("low disk", "low disk space, new deliveries wait in the inbox: " + String.join("; ", low));
                return List.of();
            }
            List<Path> ready = inbox.readyDeliveries();
            waiting(null, null);
            return ready;
        } catch (Throwable e) {
            waiting("unreadable inbox", "the inbox could not be read: " + e.getClass().getSimpleName());
            return List.of();
        }
    }

    /** Logs a reason to wait when it starts and says when it is over, keyed by its kind (not by changing figures). */
    private void waiting(String kind, String reason) {
        if (Objects.equals(kind, waitingFor)) {
            return;
        }
        if (reason != null) {
            log.warn("Inbox poller waits: {}", LogSafe.escape(reason));
        } else {
            log.info("Inbox poller goes on: {} is over", waitingFor);
        }
        waitingFor = kind;
    }
}
