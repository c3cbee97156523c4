package io.restrictd.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSettingsTest {
    private static final TopicSettings DEFAULTS = TopicSettings.defaults().withSyncerTopics("s", "l");

    @Test
    void shouldReplicateMinOfThreeAndBrokersWithOneReplicaToSpare() {
        assertThat(DEFAULTS.replicationFactorFor(1)).isEqualTo(1);
        assertThat(DEFAULTS.replicationFactorFor(2)).isEqualTo(2);
        assertThat(DEFAULTS.replicationFactorFor(5)).isEqualTo(3);
        assertThat(DEFAULTS.minInsyncReplicasFor(1)).isEqualTo(1);
        assertThat(DEFAULTS.minInsyncReplicasFor(2)).isEqualTo(1);
        assertThat(DEFAULTS.minInsyncReplicasFor(3)).isEqualTo(2);
    }

    @Test
    void shouldTakeConfiguredReplicationOverTheDefaults() {
        TopicSettings s = new TopicSettings("r", "a", null, null, 6, 4, 3, Duration.ofHours(48), Duration.ofDays(400));
        List<TopicSpec> specs = s.specs(5);
        assertThat(specs).extracting(TopicSpec::name).containsExactly("r", "a");
        assertThat(specs).allSatisfy(t -> {
            assertThat(t.replicationFactor()).isEqualTo(4);
            assertThat(t.partitions()).isEqualTo(6);
            assertThat(t.configs()).containsEntry("min.insync.replicas", "3");
        });
        assertThat(specs.get(0).configs()).containsEntry("delete.retention.ms", "172800000");
        assertThat(specs.get(1).configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(400).toMillis()));
    }

    @Test
    void shouldCompactRestrictionsStateAndLeaderAndKeepTheAuditForever() {
        List<TopicSpec> specs = DEFAULTS.specs(3);
        assertThat(specs).extracting(TopicSpec::name)
                .containsExactly("restrictd.restrictions", "restrictd.audit", "s", "l");
        Map<String, String> compacted = Map.of("cleanup.policy", "compact", "delete.retention.ms", "86400000",
                "min.insync.replicas", "2");
        assertThat(specs.get(0).configs()).isEqualTo(compacted);
        assertThat(specs.get(2).configs()).isEqualTo(compacted);
        assertThat(specs.get(3).configs()).isEqualTo(compacted);
        assertThat(specs.get(1).configs()).isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", "-1",
                "min.insync.replicas", "2"));
        assertThat(specs.get(2).partitions()).isEqualTo(1);
        assertThat(specs.get(3).partitions()).isEqualTo(1);
        assertThat(specs).allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo(3));
    }

    @Test
    void shouldPrintTheEquivalentKafkaTopicsCommand() {
        assertThat(DEFAULTS.specs(3).get(0).kafkaTopicsCommand("b:9092")).isEqualTo("kafka-topics.sh"
                + " --bootstrap-server b:9092 --create --topic restrictd.restrictions --partitions 3"
                + " --replication-factor 3 --config cleanup.policy=compact --config delete.retention.ms=86400000"
                + " --config min.insync.replicas=2");
    }

    @Test
    void shouldNameTheSettingAtFault() {
        assertThatThrownBy(() -> new TopicSettings("r", "a", null, null, 0, 0, 0, Duration.ofHours(1), null))
                .hasMessageStartingWith("kafka.partitions:");
        assertThatThrownBy(() -> new TopicSettings("r", "a", null, null, 1, 2, 3, Duration.ofHours(1), null))
                .hasMessageStartingWith("kafka.minInsyncReplicas:");
        assertThatThrownBy(() -> new TopicSettings("r", "", null, null, 1, 0, 0, Duration.ofHours(1), null))
                .hasMessageStartingWith("kafka.auditTopic:");
        assertThatThrownBy(() -> new TopicSettings("r", "a", null, null, 1, 0, 0, Duration.ZERO, null))
                .hasMessageStartingWith("kafka.deleteRetention:");
    }
}
