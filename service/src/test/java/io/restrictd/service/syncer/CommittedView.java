package io.restrictd.service.syncer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a {@code read_committed} consumer sees of a topic: the compacted view (key → last value, tombstones
 * remove), how many records (values and tombstones) it read, and every key's records in offset order (a
 * tombstone as null). An empty view if the topic does not exist. Public for the end-to-end tests in other
 * packages.
 */
public record CommittedView(Map<String, String> values, long records, Map<String, List<String>> history) {
    public static CommittedView read(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("allow.auto.create.topics", "false");
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        Map<String, String> view = new HashMap<>();
        Map<String, List<String>> history = new HashMap<>();
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(20));
            if (infos == null || infos.isEmpty()) {
                return new CommittedView(Map.of(), 0, Map.of());
            }
            List<TopicPartition> parts = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    count++;
                    String k = new String(r.key(), StandardCharsets.UTF_8);
                    String v = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
                    if (v == null) {
                        view.remove(k);
                    } else {
                        view.put(k, v);
                    }
                    history.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
                }
            }
        }
        return new CommittedView(view, count, history);
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
