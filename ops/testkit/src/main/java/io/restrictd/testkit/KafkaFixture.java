package io.restrictd.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;

/**
 * A single-node KRaft Kafka broker for a test class, as a JUnit 5 extension (register it on a static
 * field with {@code @RegisterExtension}; it starts before the class and stops after it), with the broker
 * settings of {@code ops/kafka/server.properties.template} (one replica for internal topics, no topic
 * auto-creation). {@link Fixtures#kafka()} gives one, native or in a container; {@link KafkaBroker} is the
 * native one, which tests that restart or kill the broker use directly.
 *
 * <p>Accessors may be called from any thread once started; before, they throw {@link IllegalStateException}.
 */
public interface KafkaFixture extends BeforeAllCallback, AfterAllCallback {

    /** {@code HOST:PORT}, for the {@code bootstrap.servers} client setting. */
    String bootstrapServers();

    /**
     * Creates a topic with replication factor 1 unless it exists, with the settings restrictd's own topic
     * creation gives it on one broker ({@code ops/bin/kafka-local create-topic}).
     *
     * @param compacted {@code cleanup.policy=compact} when true, {@code delete} when false
     */
    void createTopic(String name, int partitions, boolean compacted);
}
