package io.restrictd.syncer.source;

import io.restrictd.syncer.position.SyncPosition;
import io.restrictd.syncer.publish.SyncPublisher;
import io.restrictd.syncer.state.ChangeSet;
import io.restrictd.syncer.state.PublishedState;
import java.time.Clock;
import java.time.Instant;

/**
 * The committed truth one session works from: the published state and the position. Publishing goes
 * through {@link #commit}, which keeps the durability order: write changes and position in one
 * transaction, and only after it commits apply the changes to the state and trust the position.
 */
final class Committer {
    private final PublishedState state;
    private final SyncPublisher publisher;
    private final Clock clock;
    private SyncPosition position;
    private volatile Instant lastCommit;

    Committer(PublishedState state, SyncPosition position, SyncPublisher publisher, Clock clock) {
        this.state = state;
        this.position = position;
        this.publisher = publisher;
        this.clock = clock;
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
        SyncPosition next = new SyncPosition(cookie, mode, clock.instant());
        publisher.publish(changes, next);
        // Committed: only now do the state and the position move.
        state.apply(changes);
        position = next;
        lastCommit = next.updatedAt();
    }
}
