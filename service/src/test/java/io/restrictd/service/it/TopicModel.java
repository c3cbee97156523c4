package io.restrictd.service.it;

import io.restrictd.kafka.KafkaClient;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What the restrictions topic says, read back from the broker as a node reads it ({@code read_committed}, every
 * partition from the beginning, values decoded with the project's codec), kept record by record so the state
 * of any key at any position can be told: the model a node's answers are checked against. Unlike
 * {@link io.restrictd.kafka.TopicReader}, which reads from the beginning each time, one consumer reads on, so
 * each record is read once however often the model is brought up to date.
 *
 * <p>Records are read before the log cleaner can compact them (it never touches the active segment), so the
 * model holds every version of every key. Not thread-safe.
 */
final class TopicModel implements AutoCloseable {
    /** One record of one key: where it is and what it leaves (null for a tombstone). */
    record Version(int partition, long offset, Restriction restriction) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final Map<String, List<Version>> byKey = new HashMap<>();
    private long records;

    TopicModel(String bootstrapServers, String topic) {
        // The node's own consumer settings (read_committed), kept open: each call reads on from where it stopped.
        Properties p = new KafkaClient(bootstrapServers, "restrictd-it", Duration.ofSeconds(30), Map.of())
                .consumer("topic-model");
        p.put("max.poll.records", "10000");
        consumer = new KafkaConsumer<>(p);
        partitions = consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads the topic up to its current end (the broker must be running); returns the end, by partition. */
    Map<Integer, Long> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                RestrictionKey key = RestrictionKey.parse(r.key());
                Restriction value = r.value() == null ? null : Events.CODEC.decodeRestriction(key, r.value());
                byKey.computeIfAbsent(key.wire(), k -> new ArrayList<>()).add(new Version(r.partition(), r.offset(), value));
                records++;
            }
        }
        Map<Integer, Long> out = new HashMap<>();
        end.forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }

    long records() {
        return records;
    }

    /**
     * Every value {@code key} may show to a reader that saw the topic at some position from {@code from} to
     * {@code to} (next offsets by partition, as the node reports them; a missing partition is at 0): the value
     * at {@code from}, then each one recorded before {@code to}. Null stands for "no restriction".
     */
    Set<Restriction> valuesBetween(String key, Map<Integer, Long> from, Map<Integer, Long> to) {
        Set<Restriction> out = new LinkedHashSet<>();
        Restriction atFrom = null;
        for (Version v : byKey.getOrDefault(key, List.of())) { // one key, one partition: in offset order
            if (v.offset() < from.getOrDefault(v.partition(), 0L)) {
                atFrom = v.restriction();
            } else if (v.offset() < to.getOrDefault(v.partition(), 0L)) {
                out.add(v.restriction());
            }
        }
        Set<Restriction> all = new LinkedHashSet<>();
        all.add(atFrom);
        all.addAll(out);
        return all;
    }

    /**
     * The socketmap reply a restriction gives at {@code now} when it is the only one on its subject, or null if
     * that depends on which side of its expiry the node's clock was: it expires within {@code margin} of
     * {@code now}.
     */
    static String reply(Restriction r, Instant now, Duration margin) {
        if (r == null) {
            return "NOTFOUND ";
        }
        if (r.expiresAt() != null && Duration.between(now, r.expiresAt()).abs().compareTo(margin) <= 0) {
            return null;
        }
        return r.activeAt(now) ? "OK " + r.action().render() : "NOTFOUND ";
    }

    @Override
    public void close() {
        consumer.close();
    }
}
