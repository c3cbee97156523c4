package io.restrictd.service.cli;

import io.restrictd.schema.EventCodec;
import io.restrictd.service.config.KafkaFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole restrictions topic into a {@link RestrictionView}, the way a lookup node
 * restores: {@code assign()} over every partition (no consumer group, no committed offsets),
 * {@code read_committed}, from the beginning up to the end offsets captured at the start. Records
 * committed after that point are not waited for.
 */
final class TopicReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaFactory kafka;
    private final EventCodec codec;

    TopicReader(KafkaFactory kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /**
     * @throws CliFailure exit 2 if the topic does not exist, exit 3 if the brokers do not answer or
     *                    no progress is made for a whole request timeout
     */
    RestrictionView read() {
        Duration timeout = Duration.ofMillis(kafka.getRequestTimeout().toMilliseconds());
        RestrictionView view = new RestrictionView(codec, kafka.getTopic());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties())) {
            List<PartitionInfo> infos = consumer.partitionsFor(kafka.getTopic(), timeout);
            if (infos == null || infos.isEmpty()) {
                throw CliFailure.usage("topic " + kafka.getTopic() + " does not exist on " + kafka.getBootstrapServers()
                        + " (nothing published yet, or kafka.topic is wrong)");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            long lastProgress = System.nanoTime();
            int remaining = end.size();
            while (!caughtUp(consumer, end, timeout)) {
                long before = view.applied();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    view.apply(r.partition(), r.offset(), r.key(), r.value());
                }
                if (view.applied() > before || end.size() < remaining) {
                    remaining = end.size();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                    throw KafkaErrors.unavailable(kafka, "reading " + kafka.getTopic(),
                            new org.apache.kafka.common.errors.TimeoutException("no progress"));
                }
            }
        } catch (KafkaException e) {
            throw KafkaErrors.unavailable(kafka, "reading " + kafka.getTopic(), e);
        }
        return view;
    }

    /** Drops partitions that reached their end offset; true when none are left. */
    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
        return end.isEmpty();
    }

    private Properties properties() {
        Properties p = kafka.clientProperties("cli-reader");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
