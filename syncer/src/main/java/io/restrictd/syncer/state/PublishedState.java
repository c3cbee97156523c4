package io.restrictd.syncer.state;

import io.restrictd.schema.EntryOrigin;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this syncer has published and committed: for every entryUUID the restrictions it stands for,
 * and for every key the value last committed. Planning is pure ({@link #plan}, {@link #planFull} leave
 * the state as it is); {@link #apply} records a change set once its Kafka transaction has committed, so
 * the state never runs ahead of the topic.
 *
 * <p>When two entries claim one key (two accounts with the same address), the entry with the lowest
 * entryUUID supplies the published value, and the key is lifted only when no entry claims it any more.
 * Values are compared without {@code createdAt}: an unchanged entry seen again publishes nothing.
 *
 * <p>Not thread-safe: owned by the one thread that publishes.
 */
public final class PublishedState {
    private final Map<String, Map<RestrictionKey, Restriction>> entries = new HashMap<>();
    private final Map<RestrictionKey, Set<String>> owners = new HashMap<>();
    private final Map<RestrictionKey, Restriction> published = new HashMap<>();

    /**
     * Rebuilds the state from the committed values on the topic (one per key, tombstones folded away).
     * Each value's {@code origin.entryId} names its entry (or the deprecated {@code origin.entryUUID} of events
     * written before the rename: {@link EntryOrigin}); a value without one belongs to no entry that can exist,
     * so the next full refresh lifts it.
     */
    public static PublishedState fromPublished(Collection<Restriction> values) {
        PublishedState s = new PublishedState();
        for (Restriction r : values) {
            String id = EntryOrigin.entryId(r.origin());
            String uuid = id == null ? "" : id;
            s.entries.computeIfAbsent(uuid, u -> new HashMap<>()).put(r.key(), r);
            s.owners.computeIfAbsent(r.key(), k -> new TreeSet<>()).add(uuid);
            s.published.put(r.key(), r);
        }
        return s;
    }

    /** The entryUUIDs that currently stand for at least one published restriction. */
    public Set<String> uuids() {
        return Set.copyOf(entries.keySet());
    }

    /** The committed value of {@code key}, or null if it is lifted or was never published. */
    public Restriction published(RestrictionKey key) {
        return published.get(key);
    }

    public int publishedCount() {
        return published.size();
    }

    /**
     * Plans the records that bring the topic in line with {@code updates}.
     *
     * @param updates entryUUID → the restrictions the entry now stands for; an empty map for an entry that
     *                was deleted, left the filter or has no usable value
     */
    public ChangeSet plan(Map<String, Map<RestrictionKey, Restriction>> updates) {
        Set<RestrictionKey> affected = new HashSet<>();
        Map<RestrictionKey, Set<String>> claimedInUpdates = new HashMap<>();
        for (Map.Entry<String, Map<RestrictionKey, Restriction>> u : updates.entrySet()) {
            affected.addAll(entries.getOrDefault(u.getKey(), Map.of()).keySet());
            affected.addAll(u.getValue().keySet());
            for (RestrictionKey key : u.getValue().keySet()) {
                claimedInUpdates.computeIfAbsent(key, k -> new HashSet<>()).add(u.getKey());
            }
        }
        Map<RestrictionKey, Restriction> puts = new HashMap<>();
        Set<RestrictionKey> tombstones = new HashSet<>();
        for (RestrictionKey key : affected) {
            Restriction wanted = wanted(key, updates, claimedInUpdates.getOrDefault(key, Set.of()));
            Restriction current = published.get(key);
            if (wanted == null) {
                if (current != null) {
                    tombstones.add(key);
                }
            } else if (!sameExceptCreatedAt(current, wanted)) {
                puts.put(key, wanted);
            }
        }
        return new ChangeSet(updates, puts, tombstones);
    }

    /**
     * Plans a full refresh: {@code all} is every entry the directory holds under the filter now; every
     * other known entry is lifted. Only the difference from what is published is written.
     */
    public ChangeSet planFull(Map<String, Map<RestrictionKey, Restriction>> all) {
        Map<String, Map<RestrictionKey, Restriction>> updates = new HashMap<>(all);
        for (String uuid : entries.keySet()) {
            updates.putIfAbsent(uuid, Map.of());
        }
        return plan(updates);
    }

    /** Records a change set whose transaction has committed. */
    public void apply(ChangeSet changes) {
        for (Map.Entry<String, Map<RestrictionKey, Restriction>> u : changes.entries().entrySet()) {
            String uuid = u.getKey();
            Map<RestrictionKey, Restriction> old = entries.remove(uuid);
            if (old != null) {
                for (RestrictionKey key : old.keySet()) {
                    Set<String> o = owners.get(key);
                    o.remove(uuid);
                    if (o.isEmpty()) {
                        owners.remove(key);
                    }
                }
            }
            if (!u.getValue().isEmpty()) {
                entries.put(uuid, new HashMap<>(u.getValue()));
                for (RestrictionKey key : u.getValue().keySet()) {
                    owners.computeIfAbsent(key, k -> new TreeSet<>()).add(uuid);
                }
            }
        }
        changes.tombstones().forEach(published::remove);
        published.putAll(changes.puts());
    }

    /**
     * The value the entries claim for {@code key} once {@code updates} hold, or null if none does.
     * Linear in the key's claimants, not in the size of {@code updates}: a full refresh of 100k entries
     * plans 200k keys.
     */
    private Restriction wanted(RestrictionKey key, Map<String, Map<RestrictionKey, Restriction>> updates,
            Set<String> claimedInUpdates) {
        TreeSet<String> claimants = new TreeSet<>(claimedInUpdates);
        for (String owner : owners.getOrDefault(key, Set.of())) {
            if (!updates.containsKey(owner)) {
                claimants.add(owner); // an entry these updates do not touch still claims the key
            }
        }
        if (claimants.isEmpty()) {
            return null;
        }
        String first = claimants.first();
        Map<RestrictionKey, Restriction> source = updates.containsKey(first) ? updates.get(first) : entries.get(first);
        return source.get(key);
    }

    /**
     * Equal as published content: everything but the time it was written; an origin naming its entry by the
     * deprecated {@code entryUUID} equals one naming it by {@code entryId} (an upgrade republishes nothing).
     */
    static boolean sameExceptCreatedAt(Restriction a, Restriction b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.key().equals(b.key()) && a.action().equals(b.action()) && Objects.equals(a.reason(), b.reason())
                && EntryOrigin.canonical(a.origin()).equals(EntryOrigin.canonical(b.origin()))
                && Objects.equals(a.actor(), b.actor()) && Objects.equals(a.ticket(), b.ticket()) && Objects.equals(a.expiresAt(), b.expiresAt());
    }
}
