package io.restrictd.service.syncer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.restrictd.kafka.TopicSettings;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** {@code syncer:} — this syncer's identity. */
public class SyncerFactory {
    /** Names this syncer: transactional id restrictd-syncer-ID, and the key of its position. */
    @NotEmpty
    @JsonProperty
    public String id = "default";

    /** Compacted topic holding each syncer's committed position (cookie or marker), keyed by id. */
    @NotEmpty
    @JsonProperty
    public String stateTopic = TopicSettings.DEFAULT_STATE_TOPIC;

    /**
     * Single-partition topic whose consumer group (restrictd-syncer-ID) elects the one active syncer among
     * those with this id; never written.
     */
    @NotEmpty
    @JsonProperty
    public String leaderTopic = TopicSettings.DEFAULT_LEADER_TOPIC;

    /** How long a silent leader keeps the role before a standby takes over (broker allows 6s..30m by default). */
    @NotNull
    @JsonProperty
    public Duration failover = Duration.seconds(6);

    /** host:port of the admin HTTP endpoint (/healthcheck, /metrics); empty to disable. */
    @JsonProperty
    public String adminListen = "127.0.0.1:10044";
}
