package io.restrictd.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicSettings;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** {@code kafka:} — where restriction events live. Shared by the node, the CLI and the syncer. */
public class KafkaFactory {
    private static final String FOREVER = "forever";

    /** Comma-separated host:port list of brokers. */
    @NotEmpty
    private String bootstrapServers = "127.0.0.1:9092";

    /** The compacted topic of restriction events (key source|kind|subject). */
    @NotEmpty
    private String topic = TopicSettings.DEFAULT_RESTRICTIONS_TOPIC;

    /** The audit topic: every add and lift, with actor and reason. */
    @NotEmpty
    private String auditTopic = TopicSettings.DEFAULT_AUDIT_TOPIC;

    /** Partitions to create the restrictions and audit topics with, when restrictd creates them. */
    @Min(1)
    private int partitions = TopicSettings.DEFAULT_PARTITIONS;

    /** Replicas per partition of the topics restrictd creates; 0 (default) for min(3, brokers). */
    @Min(0)
    private int replicationFactor = 0;

    /** min.insync.replicas of the topics restrictd creates; 0 (default) for max(1, replication factor - 1). */
    @Min(0)
    private int minInsyncReplicas = 0;

    /** delete.retention.ms of the compacted topics restrictd creates; keep it at least ingest.maxOffline. */
    @NotNull
    private Duration deleteRetention = Duration.milliseconds(TopicSettings.DEFAULT_DELETE_RETENTION.toMillis());

    /** How long the audit topic keeps records: a duration, or "forever" (default, retention.ms=-1). */
    @NotEmpty
    private String auditRetention = FOREVER;

    /** Client id prefix, so brokers' logs and quotas can tell restrictd's clients apart. */
    @NotEmpty
    private String clientId = "restrictd";

    /** How long a client call (metadata, send, commit) may take before it counts as failed. */
    @NotNull
    private Duration requestTimeout = Duration.seconds(30);

    /** Extra Kafka client properties (security.protocol, sasl.*, ssl.*), passed through as given. */
    @NotNull
    private Map<String, String> properties = new LinkedHashMap<>();

    @JsonProperty
    public String getBootstrapServers() {
        return bootstrapServers;
    }

    @JsonProperty
    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @JsonProperty
    public String getTopic() {
        return topic;
    }

    @JsonProperty
    public void setTopic(String topic) {
        this.topic = topic;
    }

    @JsonProperty
    public String getAuditTopic() {
        return auditTopic;
    }

    @JsonProperty
    public void setAuditTopic(String auditTopic) {
        this.auditTopic = auditTopic;
    }

    @JsonProperty
    public int getPartitions() {
        return partitions;
    }

    @JsonProperty
    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    @JsonProperty
    public int getReplicationFactor() {
        return replicationFactor;
    }

    @JsonProperty
    public void setReplicationFactor(int replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    @JsonProperty
    public int getMinInsyncReplicas() {
        return minInsyncReplicas;
    }

    @JsonProperty
    public void setMinInsyncReplicas(int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
    }

    @JsonProperty
    public Duration getDeleteRetention() {
        return deleteRetention;
    }

    @JsonProperty
    public void setDeleteRetention(Duration deleteRetention) {
        this.deleteRetention = deleteRetention;
    }

    @JsonProperty
    public String getAuditRetention() {
        return auditRetention;
    }

    @JsonProperty
    public void setAuditRetention(String auditRetention) {
        this.auditRetention = auditRetention;
    }

    @JsonProperty
    public String getClientId() {
        return clientId;
    }

    @JsonProperty
    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    @JsonProperty
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    @JsonProperty
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    @JsonProperty
    public Map<String, String> getProperties() {
        return properties;
    }

    @JsonProperty
    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }

    /** The client settings every role's Kafka clients are built from. */
    public KafkaClient client() {
        return new KafkaClient(bootstrapServers, clientId, requestTimeout.toJavaDuration(), properties);
    }

    /**
     * The topics and the rules they are created by (without the syncer's own topics).
     *
     * @throws IllegalArgumentException naming the setting at fault
     */
    public TopicSettings topicSettings() {
        return new TopicSettings(topic, auditTopic, null, null, partitions, replicationFactor, minInsyncReplicas,
                deleteRetention.toJavaDuration(), auditRetention());
    }

    private java.time.Duration auditRetention() {
        String v = auditRetention.trim();
        if (v.toLowerCase(Locale.ROOT).equals(FOREVER)) {
            return null;
        }
        try {
            return Duration.parse(v).toJavaDuration();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kafka.auditRetention: '" + v + "' is not a duration (e.g. 365d)"
                    + " nor 'forever'");
        }
    }

    /** Common client properties: bootstrap, client id, timeouts, then the pass-through ones. */
    public Properties clientProperties(String role) {
        return client().common(role);
    }
}
