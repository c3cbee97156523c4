package io.restrictd.service.it;

import io.restrictd.schema.AccessAction;
import io.restrictd.schema.EventCodec;
import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.schema.RestrictionKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes restriction events as any external producer would: a plain {@link KafkaProducer}, key
 * {@code source|kind|subject}, value {@link EventCodec#encode(Restriction)}, a tombstone to lift.
 * Idempotent, acks=all. Thread-safe (as KafkaProducer is).
 */
final class Events implements AutoCloseable {
    static final EventCodec CODEC = new EventCodec();

    private final String bootstrapServers;
    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;

    Events(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        p.put("batch.size", "262144");
        p.put("delivery.timeout.ms", "120000");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
    }

    static Restriction restriction(String source, Kind kind, String subject, String action) {
        return restriction(source, kind, subject, action, null);
    }

    static Restriction restriction(String source, Kind kind, String subject, String action, Instant expiresAt) {
        Instant now = Instant.now();
        return new Restriction(new RestrictionKey(source, kind, subject), AccessAction.parse(action), "integration test",
                Map.of("test", "restrictd-it"), "it@test", null, expiresAt == null ? now : now.minusSeconds(1),
                expiresAt);
    }

    /** Publishes a restriction and waits for the broker's acknowledgement. */
    RecordMetadata put(Restriction r) {
        return await(putAsync(r));
    }

    Future<RecordMetadata> putAsync(Restriction r) {
        return producer.send(new ProducerRecord<>(topic, bytes(r.key().wire()), CODEC.encode(r)));
    }

    /** Publishes a tombstone for {@code key} and waits for the acknowledgement. */
    RecordMetadata lift(RestrictionKey key) {
        return await(liftAsync(key));
    }

    Future<RecordMetadata> liftAsync(RestrictionKey key) {
        return producer.send(new ProducerRecord<>(topic, bytes(key.wire()), null));
    }

    /** Publishes arbitrary bytes (any of them may be null) and waits. */
    RecordMetadata raw(byte[] key, byte[] value) {
        return await(producer.send(new ProducerRecord<>(topic, key, value)));
    }

    void flush() {
        producer.flush();
    }

    /** The topic's end offsets, per partition, as a read_committed consumer sees them. */
    Map<Integer, Long> endOffsets() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<Integer, Long> out = new HashMap<>();
            c.endOffsets(parts).forEach((tp, o) -> out.put(tp.partition(), o));
            return out;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RecordMetadata await(Future<RecordMetadata> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publish failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
