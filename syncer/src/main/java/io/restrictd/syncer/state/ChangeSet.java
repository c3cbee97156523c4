package io.restrictd.syncer.state;

import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.util.Map;
import java.util.Set;

/**
 * What one step of the sync must publish: new or changed restrictions ({@code puts}) and lifts
 * ({@code tombstones}), plus the entry states that become true once they are committed.
 *
 * @param entries    entryUUID → the restrictions that entry stands for after this step (empty: none)
 * @param puts       records to write, by key
 * @param tombstones keys to lift
 */
public record ChangeSet(Map<String, Map<RestrictionKey, Restriction>> entries, Map<RestrictionKey, Restriction> puts,
        Set<RestrictionKey> tombstones) {
    public ChangeSet {
        entries = Map.copyOf(entries);
        puts = Map.copyOf(puts);
        tombstones = Set.copyOf(tombstones);
    }

    /** True if nothing is to be written to the restrictions topic. */
    public boolean isEmpty() {
        return puts.isEmpty() && tombstones.isEmpty();
    }

    public int size() {
        return puts.size() + tombstones.size();
    }
}
