package io.restrictd.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** {@code kafka:} — where restriction events live. Shared by the node, the CLI and the syncer. */
public class KafkaFactory {
    /** Comma-separated host:port list of brokers. */
    @NotEmpty
    private String bootstrapServers = "127.0.0.1:9092";

    /** The compacted topic of restriction events (key source|kind|subject). */
    @NotEmpty
    private String topic = "restrictd.restrictions";

    /** The audit topic: every add and lift, with actor and reason. */
    @NotEmpty
    private String auditTopic = "restrictd.audit";

    /** Partitions to create the restrictions topic with, when a CLI or syncer creates it. */
    private int partitions = 3;

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

    /** Common client properties: bootstrap, client id, timeouts, then the pass-through ones. */
    public Properties clientProperties(String role) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", clientId + "-" + role);
        int timeoutMs = (int) requestTimeout.toMilliseconds();
        p.put("request.timeout.ms", timeoutMs);
        p.put("default.api.timeout.ms", timeoutMs);
        p.putAll(properties);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }
}
