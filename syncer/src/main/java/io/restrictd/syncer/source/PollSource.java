package io.restrictd.syncer.source;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Polls: a full search, mapped and diffed against the published state; the difference and a
 * reconciliation marker are committed in one transaction. Works with any directory.
 */
final class PollSource implements SyncSource {
    static final String MODE = "poll";
    /** How often the wait between polls checks whether the syncer was closed or deposed. */
    private static final long CHECK_MS = 100;

    private final Directory directory;
    private final EntryMapper mapper;
    private final SyncerStatus status;
    private final Duration interval;

    PollSource(Directory directory, EntryMapper mapper, SyncerStatus status, Duration interval) {
        this.directory = directory;
        this.mapper = mapper;
        this.status = status;
        this.interval = interval;
    }

    /** Polls every {@code interval} until {@code running} turns false; there is no session to close. */
    @Override
    public void run(Committer committer, BooleanSupplier running, Consumer<AutoCloseable> sessions)
            throws InterruptedException {
        while (running.getAsBoolean()) {
            status.phase(MODE);
            pollOnce(committer);
            status.committed(committer.lastCommit());
            long deadline = System.nanoTime() + interval.toNanos();
            long left;
            while (running.getAsBoolean() && (left = deadline - System.nanoTime()) > 0) {
                Thread.sleep(Math.max(1, Math.min(CHECK_MS, left / 1_000_000)));
            }
        }
    }

    /** One poll: returns the number of records written. */
    int pollOnce(Committer committer) {
        Map<String, Map<RestrictionKey, Restriction>> all = new HashMap<>();
        for (EntrySnapshot e : directory.searchAll()) {
            all.put(e.uuid(), mapper.map(e));
        }
        status.metrics().entriesSeen.mark(all.size());
        status.metrics().refreshes.inc();
        status.connected(true);
        var changes = committer.state().planFull(all);
        if (!changes.isEmpty() || !MODE.equals(committer.position().mode())) {
            status.sawChange();
            committer.commit(changes, null, MODE);
        }
        status.working();
        return changes.size();
    }
}
