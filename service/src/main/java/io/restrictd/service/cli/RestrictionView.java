package io.restrictd.service.cli;

import io.restrictd.kafka.TopicRecord;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of the restrictions topic folded from its records: the last value per key, tombstones
 * removing keys, exactly as compaction will eventually leave it. Pure: fed records in partition
 * order, it never touches Kafka, so the fold is testable without a broker.
 *
 * <p>The fold keeps raw bytes and decodes only when asked, and only the records a query selects
 * by key: {@code show} and {@code lift} decode one or two values of a topic of a million, and a
 * value superseded before compaction ran is never decoded at all. Decoding is strict; a record
 * whose key is not {@code source|kind|subject} in normal form or whose value breaks the contract
 * is left out of every answer and described in {@link #problems()}. Not thread-safe.
 */
public final class RestrictionView {
    private static final Comparator<Restriction> ORDER = Comparator
            .comparing((Restriction r) -> r.key().kind())
            .thenComparing(r -> r.key().subject())
            .thenComparing(r -> r.key().source());
    private static final int PARALLEL_FROM = 2_000;

    private record Raw(RestrictionKey key, int partition, long offset, byte[] value) {
    }

    /** A decoded record: a restriction, or the problem that kept it out. */
    private record Decoded(Restriction restriction, String problem) {
    }

    private final EventCodec codec;
    private final String topic;
    private final Map<String, Raw> latest = new LinkedHashMap<>();
    private final Map<String, String> problems = new LinkedHashMap<>();
    private long applied;

    /**
     * @param codec thread-safe, shared by the decoding threads
     * @param topic the topic's name, for problem reports
     */
    public RestrictionView(EventCodec codec, String topic) {
        this.codec = codec;
        this.topic = topic;
    }

    /**
     * Applies one record; records of one partition must come in offset order.
     *
     * @param key    the record key bytes
     * @param value  the value bytes, or null for a tombstone
     */
    public void apply(int partition, long offset, byte[] key, byte[] value) {
        apply(new TopicRecord(topic, partition, offset, key, value));
    }

    /**
     * Applies one record. Its key must pass the one rule every reader applies
     * ({@link TopicRecord#restrictionKey()}); a record whose key does not is a bad record, left out and
     * described in {@link #problems()}, and leaves the state of every key as it was.
     */
    public void apply(TopicRecord record) {
        applied++;
        RestrictionKey key;
        try {
            key = record.restrictionKey();
        } catch (InvalidEventException e) {
            problems.put(record.where(), record.where() + ": bad key: " + e.getMessage());
            return;
        }
        if (record.value() == null) {
            latest.remove(key.wire());
        } else {
            latest.put(key.wire(), new Raw(key, record.partition(), record.offset(), record.value()));
        }
    }

    /** {@code topic-partition@offset}, as problem reports name a record. */
    private String where(int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    /** Records applied so far, tombstones and bad records included. */
    public long applied() {
        return applied;
    }

    /** Keys with a value (not yet decoded, so bad records count too). */
    public int size() {
        return latest.size();
    }

    /** One line per bad record met so far by a query or by {@link #apply}, in the order met. */
    public List<String> problems() {
        return List.copyOf(problems.values());
    }

    /** The restriction under this exact key, or null. */
    public Restriction get(RestrictionKey key) {
        List<Restriction> found = select(key.kind(), key.source(), key.subject(), true, Instant.EPOCH);
        return found.isEmpty() ? null : found.get(0);
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
        List<Raw> wanted = new ArrayList<>();
        for (Raw raw : latest.values()) {
            if (matches(raw.key(), kind, source, subject)) {
                wanted.add(raw);
            }
        }
        List<Decoded> decoded = (wanted.size() >= PARALLEL_FROM ? wanted.parallelStream() : wanted.stream())
                .map(this::decode).toList();
        List<Restriction> out = new ArrayList<>();
        for (int i = 0; i < decoded.size(); i++) {
            Decoded d = decoded.get(i);
            if (d.problem() != null) {
                Raw raw = wanted.get(i);
                problems.put(where(raw.partition(), raw.offset()), d.problem());
            } else if (includeExpired || d.restriction().activeAt(now)) {
                out.add(d.restriction());
            }
        }
        out.sort(ORDER);
        return out;
    }

    private Decoded decode(Raw raw) {
        try {
            return new Decoded(codec.decodeRestriction(raw.key(), raw.value()), null);
        } catch (InvalidEventException e) {
            return new Decoded(null, where(raw.partition(), raw.offset()) + ": key " + raw.key().wire() + ": "
                    + e.getMessage());
        }
    }

    private static boolean matches(RestrictionKey key, Kind kind, String source, String subject) {
        return (source == null || key.source().equals(source))
                && (kind == null || key.kind() == kind)
                && (subject == null || key.subject().equals(subject));
    }
}
