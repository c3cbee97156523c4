package io.restrictd.syncer.publish;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka side of the syncer.
 *
 * @param client         common client properties (bootstrap.servers, client.id, timeouts, security)
 * @param topic          the compacted restrictions topic
 * @param auditTopic     the audit topic
 * @param stateTopic     the compacted topic holding each syncer's committed position, keyed by syncer id
 * @param partitions     partitions for topics the syncer creates
 * @param requestTimeout how long one Kafka call may take
 * @param leaderTopic    the single-partition topic whose consumer group elects the active syncer
 */
public record KafkaSettings(Map<String, Object> client, String topic, String auditTopic, String stateTopic,
        int partitions, Duration requestTimeout, String leaderTopic) {
    /** The default {@link #leaderTopic}. */
    public static final String DEFAULT_LEADER_TOPIC = "restrictd.syncer-leader";

    public KafkaSettings {
        client = Map.copyOf(client);
        if (leaderTopic == null || leaderTopic.isBlank()) {
            throw new IllegalArgumentException("syncer.leaderTopic: must not be empty");
        }
    }

    /** With the default leader topic. */
    public KafkaSettings(Map<String, Object> client, String topic, String auditTopic, String stateTopic,
            int partitions, Duration requestTimeout) {
        this(client, topic, auditTopic, stateTopic, partitions, requestTimeout, DEFAULT_LEADER_TOPIC);
    }

    /** A fresh copy of the common properties, with {@code client.id} suffixed by {@code role}. */
    Properties properties(String role) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("client.id", client.getOrDefault("client.id", "restrictd") + "-" + role);
        return p;
    }
}
