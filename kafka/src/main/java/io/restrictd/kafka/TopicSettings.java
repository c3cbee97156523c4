package io.restrictd.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics restrictd uses and the rules it creates them by. Every default is declared here once; the
 * node's, the CLI's and the syncer's configuration classes take theirs from these constants.
 *
 * <ul>
 * <li>restrictions: compacted (the topic is the truth: a record must never expire), {@code partitions},
 *     {@code delete.retention.ms} = {@code deleteRetention} (a tombstone must outlive the longest time a
 *     node may be offline and still resume: the node's {@code ingest.maxOffline}, 24 h by default);</li>
 * <li>audit: {@code partitions}, kept for {@code auditRetention} ({@code null}: forever, {@code retention.ms=-1});</li>
 * <li>the syncer's state and leader topics (when set): one partition, compacted like restrictions;</li>
 * <li>all: replication factor {@code replicationFactor}, or min(3, brokers) when 0;
 *     {@code min.insync.replicas} = {@code minInsyncReplicas}, or max(1, RF - 1) when 0.</li>
 * </ul>
 *
 * @param restrictions      the compacted restrictions topic
 * @param audit             the audit topic
 * @param state             the syncer's position topic, or null where it is not used (a lookup node, the CLI)
 * @param leader            the syncer's leader-election topic, or null where it is not used
 * @param partitions        partitions of the restrictions and audit topics
 * @param replicationFactor replicas per partition, 0 for min(3, brokers)
 * @param minInsyncReplicas {@code min.insync.replicas}, 0 for max(1, RF - 1)
 * @param deleteRetention   how long compacted topics keep tombstones
 * @param auditRetention    how long the audit topic keeps records, or null for ever
 */
public record TopicSettings(String restrictions, String audit, String state, String leader, int partitions,
        int replicationFactor, int minInsyncReplicas, Duration deleteRetention, Duration auditRetention) {
    public static final String DEFAULT_RESTRICTIONS_TOPIC = "restrictd.restrictions";
    public static final String DEFAULT_AUDIT_TOPIC = "restrictd.audit";
    public static final String DEFAULT_STATE_TOPIC = "restrictd.syncer-state";
    public static final String DEFAULT_LEADER_TOPIC = "restrictd.syncer-leader";
    public static final int DEFAULT_PARTITIONS = 3;
    /** The node's default {@code ingest.maxOffline}: tombstones must be kept at least that long. */
    public static final Duration DEFAULT_DELETE_RETENTION = Duration.ofHours(24);
    /** Replication factor created when none is configured, or fewer brokers exist. */
    public static final int MAX_DEFAULT_REPLICATION = 3;

    public TopicSettings {
        requireName(restrictions, "kafka.topic");
        requireName(audit, "kafka.auditTopic");
        if (partitions < 1) {
            throw new IllegalArgumentException("kafka.partitions: must be at least 1, not " + partitions);
        }
        if (replicationFactor < 0) {
            throw new IllegalArgumentException("kafka.replicationFactor: must be 0 (automatic) or more");
        }
        if (minInsyncReplicas < 0 || (replicationFactor > 0 && minInsyncReplicas > replicationFactor)) {
            throw new IllegalArgumentException("kafka.minInsyncReplicas: must be 0 (automatic) or 1.."
                    + "kafka.replicationFactor, not " + minInsyncReplicas);
        }
        if (deleteRetention == null || deleteRetention.isNegative() || deleteRetention.isZero()) {
            throw new IllegalArgumentException("kafka.deleteRetention: must be a positive duration");
        }
        if (auditRetention != null && (auditRetention.isNegative() || auditRetention.isZero())) {
            throw new IllegalArgumentException("kafka.auditRetention: must be a positive duration or 'forever'");
        }
    }

    /** The defaults for a node or the CLI (no syncer topics). */
    public static TopicSettings defaults() {
        return new TopicSettings(DEFAULT_RESTRICTIONS_TOPIC, DEFAULT_AUDIT_TOPIC, null, null, DEFAULT_PARTITIONS,
                0, 0, DEFAULT_DELETE_RETENTION, null);
    }

    /** These settings with the syncer's state and leader topics. */
    public TopicSettings withSyncerTopics(String stateTopic, String leaderTopic) {
        requireName(stateTopic, "syncer.stateTopic");
        requireName(leaderTopic, "syncer.leaderTopic");
        return new TopicSettings(restrictions, audit, stateTopic, leaderTopic,
                partitions, replicationFactor, minInsyncReplicas, deleteRetention, auditRetention);
    }

    /** The replication factor to create topics with on a cluster of {@code brokers}. */
    public int replicationFactorFor(int brokers) {
        return replicationFactor > 0 ? replicationFactor : Math.max(1, Math.min(MAX_DEFAULT_REPLICATION, brokers));
    }

    /** The {@code min.insync.replicas} to create topics with for replication factor {@code rf}. */
    public int minInsyncReplicasFor(int rf) {
        return minInsyncReplicas > 0 ? minInsyncReplicas : Math.max(1, rf - 1);
    }

    /** Every topic these settings name, in creation order, as created on a cluster of {@code brokers}. */
    public List<TopicSpec> specs(int brokers) {
        int rf = replicationFactorFor(brokers);
        String minIsr = String.valueOf(minInsyncReplicasFor(rf));
        List<TopicSpec> out = new ArrayList<>();
        out.add(new TopicSpec(restrictions, partitions, rf, compacted(minIsr)));
        Map<String, String> audited = new LinkedHashMap<>();
        audited.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        audited.put(TopicConfig.RETENTION_MS_CONFIG, auditRetention == null ? "-1"
                : String.valueOf(auditRetention.toMillis()));
        audited.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
        out.add(new TopicSpec(audit, partitions, rf, audited));
        if (state != null) {
            out.add(new TopicSpec(state, 1, rf, compacted(minIsr)));
        }
        if (leader != null) {
            out.add(new TopicSpec(leader, 1, rf, compacted(minIsr)));
        }
        return out;
    }

    private Map<String, String> compacted(String minIsr) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(deleteRetention.toMillis()));
        c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
        return c;
    }

    private static void requireName(String name, String setting) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(setting + ": must not be empty");
        }
    }
}
