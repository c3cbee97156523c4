package io.restrictd.syncer.source;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.time.Duration;

/**
 * The syncer's metrics, in a Dropwizard registry the service exports (Prometheus text on the admin port).
 * Names start with {@code syncer.}. Thread-safe.
 */
public final class SyncerMetrics {
    private final MetricRegistry registry;
    final Meter entriesSeen;
    final Meter eventsPublished;
    final Meter tombstones;
    final Counter refreshes;
    /** psearch: full reconciliation searches, at connect and periodic. */
    final Counter reconciliations;
    /** psearch: entries a periodic reconciliation found out of step without a notification (missed changes). */
    final Counter reconcileDifferences;
    final Timer commit;
    final Timer propagation;

    SyncerMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.entriesSeen = registry.meter("syncer.entries_seen");
        this.eventsPublished = registry.meter("syncer.events_published");
        this.tombstones = registry.meter("syncer.tombstones_published");
        this.refreshes = registry.counter("syncer.refreshes");
        this.reconciliations = registry.counter("syncer.reconciliations");
        this.reconcileDifferences = registry.counter("syncer.reconcile_differences");
        this.commit = registry.timer("syncer.commit");
        this.propagation = registry.timer("syncer.propagation_delay");
    }

    public MetricRegistry registry() {
        return registry;
    }

    /**
     * Records a committed change's delay from its modifyTimestamp; only whole-second precision on most
     * directories, so small values are noise. Negative delays (clock skew) are recorded as zero.
     */
    void propagated(Duration delay) {
        propagation.update(delay.isNegative() ? Duration.ZERO : delay);
    }
}
