package io.restrictd.syncer.source;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.Directory;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.mapping.EntrySnapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * Polls: a full search, mapped and diffed against the published state; the difference and a
 * reconciliation marker are committed in one transaction. Works with any directory.
 */
final class PollSource {
    static final String MODE = "poll";

    private final Directory directory;
    private final EntryMapper mapper;
    private final SyncerStatus status;

    PollSource(Directory directory, EntryMapper mapper, SyncerStatus status) {
        this.directory = directory;
        this.mapper = mapper;
        this.status = status;
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
