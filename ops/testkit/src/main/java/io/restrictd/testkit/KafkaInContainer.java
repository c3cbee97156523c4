package io.restrictd.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The container {@link KafkaFixture}: a single-node KRaft broker from the {@code apache/kafka} image through
 * Testcontainers' Kafka module, which maps the client listener to a host port and advertises that address.
 * The broker gets the settings of {@code ops/kafka/server.properties.template} that are not about listeners,
 * roles or paths, so it behaves as the native {@link KafkaBroker} does (no topic auto-creation, one replica
 * for internal topics). Topics are created by {@code ops/bin/kafka-local create-topic --bootstrap=...}, the
 * same settings as for the native broker.
 */
final class KafkaInContainer extends ContainerFixture implements KafkaFixture {
    /** Template keys the Kafka module sets itself, for the container's own listeners and storage. */
    private static final Set<String> CONTAINER_OWN = Set.of("process.roles", "node.id", "controller.quorum.voters",
            "listeners", "advertised.listeners", "controller.listener.names", "inter.broker.listener.name",
            "listener.security.protocol.map", "log.dirs");
    /** The first topic creation may build the broker tools' class path with Maven. */
    private static final Duration CREATE_TOPIC_TIMEOUT = Duration.ofMinutes(10);

    private final String image;
    private volatile String bootstrapServers;

    KafkaInContainer(String image) {
        this.image = image;
    }

    @Override
    public String bootstrapServers() {
        container();
        return bootstrapServers;
    }

    @Override
    public void createTopic(String name, int partitions, boolean compacted) {
        Commands.check(List.of("bash", Repository.script("kafka-local").toString(), "create-topic",
                        "--bootstrap=" + bootstrapServers(), name, Integer.toString(partitions),
                        "--cleanup-policy", compacted ? "compact" : "delete"),
                Map.of("JAVA_HOME", System.getProperty("java.home")), null, CREATE_TOPIC_TIMEOUT);
    }

    @Override
    protected GenericContainer<?> create() {
        return new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                .withEnv(brokerEnvironment(Repository.root().resolve("ops/kafka/server.properties.template")));
    }

    @Override
    protected void started(GenericContainer<?> c) {
        bootstrapServers = ((KafkaContainer) c).getBootstrapServers();
    }

    /**
     * The template's broker settings as the image's environment ({@code a.b.c=v} becomes
     * {@code KAFKA_A_B_C=v}), without those the container sets for itself and those with a placeholder.
     */
    static Map<String, String> brokerEnvironment(Path template) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(template)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template, e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted()
                .filter(key -> !CONTAINER_OWN.contains(key) && !properties.getProperty(key).contains("@"))
                .forEach(key -> env.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'),
                        properties.getProperty(key)));
        return env;
    }
}
