package io.restrictd.service.ingest;

import io.restrictd.service.store.Position;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Where a consumer stands over a set of partitions: seeking, positions, lags. Stateless. */
final class ConsumerPositions {
    private ConsumerPositions() {
    }

    /** Seeks every partition to the store's next offset, or to its beginning if the store has none. */
    static void seekTo(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions, Position position) {
        for (TopicPartition tp : partitions) {
            long next = position.next(tp.partition());
            if (next >= 0) {
                c.seek(tp, next);
            } else {
                c.seekToBeginning(List.of(tp));
            }
        }
    }

    /** True once the consumer's position in every partition has reached {@code end}. */
    static boolean reached(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (c.position(tp) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /** The consumer's next fetch offset in each partition. */
    static Map<TopicPartition, Long> positions(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> ps) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : ps) {
            out.put(tp, c.position(tp));
        }
        return out;
    }

    /** The lag the consumer last learned for each partition (absent where it has not learned one). */
    static Map<TopicPartition, Long> lags(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> ps) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : ps) {
            c.currentLag(tp).ifPresent(lag -> out.put(tp, lag));
        }
        return out;
    }

    /** Records behind {@code end} in each partition, never negative. */
    static Map<TopicPartition, Long> lagsFrom(Map<TopicPartition, Long> end,
            Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        end.forEach((tp, e) -> out.put(tp, Math.max(0, e - positions.getOrDefault(tp, 0L))));
        return out;
    }

    /** The consumer's positions keyed by partition number: what a store {@link Position} records. */
    static Map<Integer, Long> positionsByPartition(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> ps) {
        Map<Integer, Long> out = new HashMap<>();
        for (TopicPartition tp : ps) {
            out.put(tp.partition(), c.position(tp));
        }
        return out;
    }
}
