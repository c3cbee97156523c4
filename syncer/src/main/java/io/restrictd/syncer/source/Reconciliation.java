package io.restrictd.syncer.source;

import io.restrictd.schema.EntryOrigin;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.ldap.PsearchMessage;
import io.restrictd.syncer.ldap.PsearchSession;
import io.restrictd.syncer.mapping.EntryMapper;
import io.restrictd.syncer.mapping.EntrySnapshot;
import io.restrictd.syncer.state.ChangeSet;
import io.restrictd.syncer.state.PublishedState;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One full reconciliation search of a psearch session, planned against the published state. Pure: nothing
 * is published or applied here.
 *
 * @param changes     the difference from the published state ({@link PublishedState#planFull})
 * @param idsByDn     normalized DN → id of every entry the search returned, the session's new DN index
 * @param entries     how many entries the search returned
 * @param unexplained id → DN of the entries whose published restrictions differ from the directory although
 *                    no notification received by the end of the search names them: the persistent search
 *                    should have told of these and did not (or the change raced the end of the search).
 *                    Restrictions lifted because their expiry has passed are not counted: no notification
 *                    announces that.
 */
record Reconciliation(ChangeSet changes, Map<String, String> idsByDn, int entries, Map<String, String> unexplained) {

    /**
     * Plans a reconciliation.
     *
     * @param searched the entries the full search returned
     * @param inFlight the notifications received while the search ran and not yet applied; a difference on an
     *                 entry one of them names is explained, not missed (it is applied after this, in order)
     * @param now      the time expiries are judged by
     */
    static Reconciliation plan(PublishedState state, EntryMapper mapper, List<EntrySnapshot> searched,
            Collection<PsearchMessage> inFlight, Instant now) {
        Map<String, Map<RestrictionKey, Restriction>> all = new HashMap<>();
        Map<String, String> idsByDn = new HashMap<>();
        for (EntrySnapshot e : searched) {
            all.put(e.uuid(), mapper.map(e));
            idsByDn.put(PsearchSession.normalize(e.dn()), e.uuid());
        }
        ChangeSet changes = state.planFull(all);
        return new Reconciliation(changes, idsByDn, all.size(), unexplained(state, changes, inFlight, now));
    }

    /**
     * Whether this reconciliation is committed: at connect always (the marker records that the session
     * reconciled, and the position's mode becomes psearch), later only when something differs, so that an
     * idle directory costs no transactions.
     */
    boolean commits(boolean atConnect) {
        return atConnect || !changes.isEmpty();
    }

    /** The differing entries (id → DN, sorted by id) that no notification in {@code inFlight} names. */
    private static Map<String, String> unexplained(PublishedState state, ChangeSet changes,
            Collection<PsearchMessage> inFlight, Instant now) {
        Set<String> named = new HashSet<>();
        for (PsearchMessage m : inFlight) {
            if (m instanceof PsearchMessage.Changed c) {
                add(named, c.id());
                add(named, c.dn());
                add(named, c.previousDn());
            }
        }
        Map<String, String> differing = new TreeMap<>();
        changes.puts().values().forEach(r -> origin(r, differing));
        for (RestrictionKey key : changes.tombstones()) {
            Restriction was = state.published(key);
            if (was != null && (was.expiresAt() == null || was.expiresAt().isAfter(now))) {
                origin(was, differing);
            }
        }
        differing.entrySet().removeIf(e -> named.contains(e.getKey())
                || named.contains(PsearchSession.normalize(e.getValue())));
        return differing;
    }

    private static void origin(Restriction r, Map<String, String> into) {
        if (r != null) {
            String id = EntryOrigin.entryId(r.origin());
            into.putIfAbsent(id == null ? "" : id, r.origin().getOrDefault("dn", "(no dn)"));
        }
    }

    private static void add(Set<String> into, String value) {
        if (value != null) {
            into.add(value);
        }
    }
}
