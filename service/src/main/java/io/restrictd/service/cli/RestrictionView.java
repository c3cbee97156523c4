package io.restrictd.service.cli;

import io.restrictd.schema.EventCodec;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of the restrictions topic folded from its records: the last value per key, with
 * tombstones removing keys, exactly as compaction will eventually leave it. Pure: fed records in
 * partition order, it never touches Kafka, so the fold is testable without a broker.
 *
 * <p>A record whose key or value breaks the contract is not applied silently: it is counted and
 * described in {@link #problems()}, and the key it names (if readable) is dropped from the view,
 * because its latest state is unknown. Not thread-safe.
 */
public final class RestrictionView {
    private static final Comparator<Restriction> ORDER = Comparator
            .comparing((Restriction r) -> r.key().kind())
            .thenComparing(r -> r.key().subject())
            .thenComparing(r -> r.key().source());

    private final EventCodec codec;
    private final Map<RestrictionKey, Restriction> current = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private long applied;

    public RestrictionView(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * Applies one record.
     *
     * @param where  e.g. {@code restrictd.restrictions-2@117}, for problem reports
     * @param key    the record key bytes
     * @param value  the value bytes, or null for a tombstone
     */
    public void apply(String where, byte[] key, byte[] value) {
        applied++;
        RestrictionKey k;
        try {
            k = RestrictionKey.parse(key);
        } catch (InvalidEventException e) {
            problems.add(where + ": bad key: " + e.getMessage());
            return;
        }
        if (value == null) {
            current.remove(k);
            return;
        }
        try {
            current.put(k, codec.decodeRestriction(k, value));
        } catch (InvalidEventException e) {
            current.remove(k);
            problems.add(where + ": key " + k.wire() + ": " + e.getMessage());
        }
    }

    /** Records applied so far, tombstones and bad records included. */
    public long applied() {
        return applied;
    }

    /** One line per record that broke the contract, in the order met. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The restriction under this exact key, or null. */
    public Restriction get(RestrictionKey key) {
        return current.get(key);
    }

    /** Every source's restriction on one normalised subject, expired ones included, sorted by source. */
    public List<Restriction> forSubject(Kind kind, String subject) {
        return select(kind, null, subject, true, Instant.EPOCH);
    }

    /**
     * Current restrictions, sorted by kind, subject, source.
     *
     * @param kind           only this kind, or null for all
     * @param source         only this source, or null for all
     * @param subject        only this normalised subject, or null for all
     * @param includeExpired whether restrictions no longer active at {@code now} are included
     */
    public List<Restriction> select(Kind kind, String source, String subject, boolean includeExpired, Instant now) {
        List<Restriction> out = new ArrayList<>();
        for (Restriction r : current.values()) {
            RestrictionKey k = r.key();
            if ((kind == null || k.kind() == kind) && (source == null || k.source().equals(source))
                    && (subject == null || k.subject().equals(subject)) && (includeExpired || r.activeAt(now))) {
                out.add(r);
            }
        }
        out.sort(ORDER);
        return out;
    }

    /** Number of keys currently restricted, expired ones included. */
    public int size() {
        return current.size();
    }
}
