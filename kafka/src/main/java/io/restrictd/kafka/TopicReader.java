package io.restrictd.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads a topic to its end, the way a lookup node restores: {@code assign()} over every partition (no group,
 * no committed offsets), {@code read_committed}, from the beginning up to the end offsets taken at the start.
 * Records committed after that are not waited for. Shared by the CLI and the syncer.
 *
 * <p>Gives up with a {@link TimeoutException} only when no progress is made for a whole request timeout,
 * so a large topic on a slow link is read to the end however long that takes. Not thread-safe.
 */
public final class TopicReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaClient client;
    private final String role;

    /** @param role appended to the client id, e.g. {@code cli-reader} */
    public TopicReader(KafkaClient client, String role) {
        this.client = client;
        this.role = role;
    }

    /**
     * Hands every record of {@code topic} up to its end offsets to {@code sink}, each partition in offset order.
     *
     * @return the number of records read
     * @throws MissingTopicsException if the topic does not exist (it is never created)
     * @throws KafkaException         if the brokers do not answer or refuse
     */
    public long readToEnd(String topic, Consumer<TopicRecord> sink) {
        Duration timeout = client.requestTimeout();
        Properties p = client.consumer(role);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new MissingTopicsException(List.of(topic), "topic " + topic + " does not exist on "
                        + client.bootstrapServers());
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            long lastProgress = System.nanoTime();
            int remaining = end.size();
            while (!caughtUp(consumer, end, timeout)) {
                long before = read;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    sink.accept(new TopicRecord(topic, r.partition(), r.offset(), r.key(), r.value()));
                    read++;
                }
                if (read > before || end.size() < remaining) {
                    remaining = end.size();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
                    throw new TimeoutException("no progress reading " + topic + " for " + timeout.toMillis()
                            + " ms (" + end.size() + " partitions short of their end)");
                }
            }
        }
        return read;
    }

    /** Drops partitions that reached their end offset (transaction markers included); true when none are left. */
    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
        return end.isEmpty();
    }
}
