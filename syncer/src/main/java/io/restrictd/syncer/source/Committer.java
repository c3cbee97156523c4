package io.restrictd.syncer.source;

import io.restrictd.syncer.position.SyncPosition;
import io.restrictd.syncer.publish.SyncPublisher;
import io.restrictd.syncer.state.ChangeSet;
import io.restrictd.syncer.state.PublishedState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The committed truth one session works from: the published state and the position. Publishing goes
 * through {@link #commit}, which keeps the durability order: write changes and position in one
 * transaction, and only after it commits apply the changes to the state and trust the position.
 */
final class Committer {
    private final PublishedState state;
    private final SyncPublisher publisher;
    private final Clock clock;
    private final SyncerStatus status;
    private final SyncerMetrics metrics;
    private SyncPosition position;
    private volatile Instant lastCommit;

    Committer(PublishedState state, SyncPosition position, SyncPublisher publisher, Clock clock, SyncerStatus status) {
        this.state = state;
        this.position = position;
        this.publisher = publisher;
        this.clock = clock;
        this.status = status;
        this.metrics = status.metrics();
    }

    PublishedState state() {
        return state;
    }

    SyncPosition position() {
        return position;
    }

    Instant lastCommit() {
        return lastCommit;
    }

    /** Publishes {@code changes} with a position carrying {@code cookie}, then records both as committed. */
    void commit(ChangeSet changes, byte[] cookie, String mode) {
        commit(changes, cookie, mode, List.of());
    }

    /**
     * As {@link #commit(ChangeSet, byte[], String)}; {@code changedAt} are the directory's modification times of
     * the live changes in this commit, for the propagation delay metric.
     */
    void commit(ChangeSet changes, byte[] cookie, String mode, List<Instant> changedAt) {
        SyncPosition next = new SyncPosition(cookie, mode, clock.instant());
        long started = System.nanoTime();
        publisher.publish(changes, next);
        // Committed: only now do the state and the position move.
        metrics.commit.update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        state.apply(changes);
        position = next;
        Instant now = clock.instant();
        lastCommit = now;
        status.committed(now);
        metrics.eventsPublished.mark(changes.puts().size());
        metrics.tombstones.mark(changes.tombstones().size());
        for (Instant at : changedAt) {
            metrics.propagated(Duration.between(at, now));
        }
    }
}
