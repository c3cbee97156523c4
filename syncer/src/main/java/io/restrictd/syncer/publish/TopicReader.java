package io.restrictd.syncer.publish;

import io.restrictd.schema.EventCodec;
import io.restrictd.schema.InvalidEventException;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import io.restrictd.syncer.position.SyncPosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what is committed: the restrictions this syncer's source owns, and this syncer's last position.
 * Each read assigns every partition (no group), reads {@code read_committed} from the beginning to the
 * end offsets taken at the start, and folds the records by key, tombstones included.
 */
public final class TopicReader {
    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);

    private final KafkaSettings kafka;
    private final EventCodec codec;

    public TopicReader(KafkaSettings kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /** The committed restrictions of {@code source}, one per key. Bad records are logged and skipped. */
    public Collection<Restriction> restrictions(String source) {
        Map<RestrictionKey, Restriction> view = new HashMap<>();
        String prefix = source + "|";
        read(kafka.topic(), (key, value) -> {
            if (key == null || !key.startsWith(prefix)) {
                return;
            }
            try {
                RestrictionKey k = RestrictionKey.parse(key);
                if (value == null) {
                    view.remove(k);
                } else {
                    view.put(k, codec.decodeRestriction(k, value));
                }
            } catch (InvalidEventException e) {
                LOG.warn("{}: skipping record {}: {}", kafka.topic(), key, e.getMessage());
            }
        });
        return new ArrayList<>(view.values());
    }

    /** The last committed position of {@code syncerId}, or {@link SyncPosition#UNKNOWN}. */
    public SyncPosition position(String syncerId) {
        SyncPosition[] last = {SyncPosition.UNKNOWN};
        read(kafka.stateTopic(), (key, value) -> {
            if (syncerId.equals(key)) {
                try {
                    last[0] = value == null ? SyncPosition.UNKNOWN : SyncPosition.decode(value);
                } catch (IllegalArgumentException e) {
                    LOG.warn("{}: ignoring position record: {}", kafka.stateTopic(), e.getMessage());
                    last[0] = SyncPosition.UNKNOWN;
                }
            }
        });
        return last[0];
    }

    private void read(String topic, BiConsumer<String, byte[]> fold) {
        Properties p = kafka.properties("syncer-reader");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, kafka.requestTimeout());
            if (infos == null || infos.isEmpty()) {
                throw new TimeoutException("topic " + topic + " has no partitions (does it exist?)");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, kafka.requestTimeout());
            long deadline = System.nanoTime() + kafka.requestTimeout().toNanos() * 4;
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " to its end took too long");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    fold.accept(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.value());
                }
            }
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
