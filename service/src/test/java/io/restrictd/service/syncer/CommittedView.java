package io.restrictd.service.syncer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a {@code read_committed} consumer sees of a topic: the compacted view (key → last value, tombstones
 * remove) and how many records (values and tombstones) it read. An empty view if the topic does not exist.
 */
record CommittedView(Map<String, String> values, long records) {
    static CommittedView read(String bootstrap, String topic) {
        Map<String, String> view = new HashMap<>();
        long count = scan(bootstrap, topic, (k, v) -> {
            if (v == null) {
                view.remove(k);
            } else {
                view.put(k, v);
            }
        });
        return new CommittedView(view, count);
    }

    /**
     * Every committed record of each key, in the order it was written (a key lives in one partition), a
     * tombstone as null: what a consumer of the whole topic history saw happen to each key.
     */
    static Map<String, List<String>> history(String bootstrap, String topic) {
        Map<String, List<String>> out = new HashMap<>();
        scan(bootstrap, topic, (k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        return out;
    }

    /** Reads the committed records of {@code topic} from the start to its end offsets; how many there were. */
    private static long scan(String bootstrap, String topic, BiConsumer<String, String> record) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("allow.auto.create.topics", "false");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(20));
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    count++;
                    record.accept(new String(r.key(), StandardCharsets.UTF_8),
                            r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return count;
    }

    /** The end offsets summed over partitions, as a read_uncommitted consumer sees them (open transactions too). */
    static long endOffsets(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("allow.auto.create.topics", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                return 0;
            }
            return c.endOffsets(infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList())
                    .values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
