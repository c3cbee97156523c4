package io.restrictd.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How every restrictd role talks to Kafka: the brokers, a client id prefix, one timeout for every call,
 * and the operator's pass-through properties ({@code kafka.properties}: security.protocol, sasl.*, ssl.*).
 * Each method returns a fresh {@link Properties} for one client.
 *
 * <p>Whatever the pass-through properties say, every consumer gets {@code allow.auto.create.topics=false}:
 * a restrictd client never creates a topic by accident (a broker's auto-creation makes it with the
 * broker's defaults, not compacted, and the truth would expire). Immutable and thread-safe.
 *
 * @param bootstrapServers comma-separated host:port list
 * @param clientId         prefix of every client's {@code client.id}; the role is appended
 * @param requestTimeout   how long one client call (metadata, send, commit) may take
 * @param passThrough      extra client properties, applied as given except those this class forces
 */
public record KafkaClient(String bootstrapServers, String clientId, Duration requestTimeout,
        Map<String, String> passThrough) {
    /** Properties no pass-through setting may change, with the value every consumer gets. */
    public static final Map<String, String> FORCED_CONSUMER = Map.of(
            ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");

    public KafkaClient {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        passThrough = Map.copyOf(passThrough == null ? Map.of() : passThrough);
    }

    /** Bootstrap, {@code client.id} = prefix-role, timeouts, then the pass-through properties. */
    public Properties common(String role) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", clientId + "-" + role);
        int timeoutMs = (int) requestTimeout.toMillis();
        p.put("request.timeout.ms", timeoutMs);
        p.put("default.api.timeout.ms", timeoutMs);
        p.putAll(passThrough);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /** For an {@link Admin} client. */
    public Properties admin(String role) {
        return common(role);
    }

    /**
     * A byte-array consumer reading only committed records, committing no offsets, and never creating a
     * topic. Callers that join a group add {@code group.id} and their own settings.
     */
    public Properties consumer(String role) {
        Properties p = common(role);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(FORCED_CONSUMER);
        return p;
    }

    /**
     * An idempotent, transactional byte-array producer: {@code acks=all}, sends blocking at most one
     * request timeout, lz4 batches.
     *
     * @param transactionalId the producer's transactional id: a second producer with the same id fences this one
     * @param lingerMs        how long a send waits for others to batch with
     */
    public Properties transactionalProducer(String role, String transactionalId, int lingerMs) {
        long timeoutMs = requestTimeout.toMillis();
        Properties p = common(role);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));
        // Must be at least linger.ms + request.timeout.ms, whatever the configured timeout.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(120_000, 2 * timeoutMs + 1000)));
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(lingerMs));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
