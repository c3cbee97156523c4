package io.restrictd.syncer.source;

import java.time.Clock;
import java.time.Instant;

/** What the syncer is doing, for health checks and logs. Written by the sync thread, read by any. */
public final class SyncerStatus {
    private final Clock clock;
    private volatile boolean connected;
    private volatile String phase = "starting";
    private volatile Instant lastChangeSeen;
    private volatile Instant lastCommit;
    private volatile String lastError;
    private volatile long reconnects;
    private volatile boolean leader;
    private volatile boolean healthy;
    private volatile Instant lastReconciliation;

    private volatile String fatal;
    private final SyncerMetrics metrics;

    /**
     * @param registry where the syncer's metrics ({@code syncer.*}) go: the process's one registry, which the
     *                 admin endpoint exports (the node's, in all-in-one)
     */
    public SyncerStatus(Clock clock, com.codahale.metrics.MetricRegistry registry) {
        this.clock = clock;
        this.metrics = new SyncerMetrics(registry);
        registry.gauge("syncer.reconnects", () -> this::reconnects);
        registry.gauge("syncer.leader", () -> () -> leader ? 1 : 0);
        registry.gauge("syncer.connected", () -> () -> connected ? 1 : 0);
        registry.gauge("syncer.healthy", () -> () -> healthy() ? 1 : 0);
        registry.gauge("syncer.last_reconciliation_seconds",
                () -> () -> lastReconciliation == null ? 0 : lastReconciliation.getEpochSecond());
    }

    public SyncerMetrics metrics() {
        return metrics;
    }

    public boolean connected() {
        return connected;
    }

    /** starting, standby, refresh, persist, poll, backoff, stopped, or failed (see {@link #fatal()}). */
    public String phase() {
        return phase;
    }

    public Instant lastChangeSeen() {
        return lastChangeSeen;
    }

    public Instant lastCommit() {
        return lastCommit;
    }

    /** psearch: when the last full reconciliation search (at connect or periodic) finished; null before. */
    public Instant lastReconciliation() {
        return lastReconciliation;
    }

    /** psearch: full reconciliation searches since start, at connect and periodic. */
    public long reconciliations() {
        return metrics.reconciliations.getCount();
    }

    /**
     * psearch: entries that periodic reconciliations found out of step with no notification about them since
     * start; more than zero means the persistent search missed changes (they are repaired).
     */
    public long reconcileDifferences() {
        return metrics.reconcileDifferences.getCount();
    }

    public String lastError() {
        return lastError;
    }

    /** Why the syncer stopped for good (a configuration, credential or unexpected error); null while it runs. */
    public String fatal() {
        return fatal;
    }

    public long reconnects() {
        return reconnects;
    }

    /** True while this syncer holds the election; a standby waits and publishes nothing. */
    public boolean leader() {
        return leader;
    }

    /** {@code leader} or {@code standby}. */
    public String role() {
        return leader ? "leader" : "standby";
    }

    /**
     * Whether the syncer is doing its job: a standby is healthy while it runs (it is waiting, as it should);
     * a leader once its last attempt to read the directory and publish succeeded, until the next failure.
     */
    public boolean healthy() {
        String p = phase;
        boolean ended = "stopped".equals(p) || "failed".equals(p);
        return leader ? healthy && !ended : !ended;
    }

    void connected(boolean connected) {
        this.connected = connected;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    void sawChange() {
        lastChangeSeen = clock.instant();
    }

    void committed(Instant at) {
        if (at != null) {
            lastCommit = at;
        }
        healthy = true;
    }

    /** The directory answered and its changes are being followed (or there were none to publish). */
    void working() {
        healthy = true;
    }

    void reconciled(Instant at, int unexplained) {
        lastReconciliation = at;
        metrics.reconciliations.inc();
        metrics.reconcileDifferences.inc(unexplained);
    }

    void leader(boolean leader) {
        this.leader = leader;
    }

    /** The syncer stopped for good because of {@code cause}: unhealthy until restarted. */
    void fatal(String cause) {
        fatal = cause;
        lastError = cause + " (at " + clock.instant() + ")";
        healthy = false;
        phase = "failed";
    }

    void failed(String error) {
        lastError = error + " (at " + clock.instant() + ")";
        healthy = false;
        reconnects++;
    }
}
