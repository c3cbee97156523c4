package io.restrictd.service.allinone;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import io.restrictd.syncer.source.Syncer;
import io.restrictd.syncer.source.SyncerStatus;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The syncer on a thread of its own inside all-in-one. A fatal syncer error (bad credentials, an untrusted
 * certificate, a defect) stops the syncer only: it is logged in one line and shown by the {@code syncer}
 * health check, and the lookup node keeps answering from its store — stopping the process would turn every
 * sender's mail into a 451.
 */
final class SyncerService implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(SyncerService.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final Syncer syncer;
    private Thread thread;

    SyncerService(Syncer syncer) {
        this.syncer = syncer;
    }

    @Override
    public void start() {
        thread = new Thread(this::runSyncer, "syncer");
        thread.setDaemon(true);
        thread.start();
    }

    private void runSyncer() {
        try {
            syncer.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) { // LdapFatalException included: the status names the cause
            LOG.error("syncer stopped: {}; the lookup node keeps answering from its store (fix the cause, then"
                    + " restart restrictd)", syncer.status().fatal());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        syncer.close();
        if (thread != null) {
            thread.join(STOP_WAIT.toMillis());
            if (thread.isAlive()) {
                LOG.warn("syncer still busy after {} s; stopping without it (its open transaction is aborted by"
                        + " the broker)", STOP_WAIT.toSeconds());
            }
        }
    }

    /** {@code syncer}: healthy while the syncer follows the directory (or stands by); says why when not. */
    HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                SyncerStatus s = syncer.status();
                ResultBuilder r = s.healthy() ? Result.builder().healthy() : Result.builder().unhealthy();
                String why = s.fatal() != null ? "stopped: " + s.fatal()
                        : s.lastError() != null && !s.healthy() ? s.lastError() : s.role() + ", " + s.phase();
                return r.withMessage(why).withDetail("role", s.role()).withDetail("phase", s.phase())
                        .withDetail("connected", s.connected())
                        .withDetail("lastCommit", String.valueOf(s.lastCommit()))
                        .withDetail("reconnects", s.reconnects()).build();
            }
        };
    }
}
