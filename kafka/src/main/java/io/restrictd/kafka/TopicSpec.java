package io.restrictd.kafka;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One topic as restrictd creates it.
 *
 * @param configs topic configuration overrides, in a stable order
 */
public record TopicSpec(String name, int partitions, int replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        configs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(configs));
    }

    public NewTopic newTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.of((short) replicationFactor)).configs(configs);
    }

    /** The equivalent {@code kafka-topics.sh} command, for operators who create topics by hand. */
    public String kafkaTopicsCommand(String bootstrapServers) {
        StringBuilder s = new StringBuilder("kafka-topics.sh --bootstrap-server ").append(bootstrapServers)
                .append(" --create --topic ").append(name).append(" --partitions ").append(partitions)
                .append(" --replication-factor ").append(replicationFactor);
        configs.forEach((k, v) -> s.append(" --config ").append(k).append('=').append(v));
        return s.toString();
    }

    /** One line for logs: name, partitions, replication and configs. */
    public String describe() {
        return name + " (" + partitions + " partitions, replication factor " + replicationFactor + ", " + configs + ")";
    }
}
