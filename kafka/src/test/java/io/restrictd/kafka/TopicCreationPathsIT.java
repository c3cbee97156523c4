package io.restrictd.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ops/bin/kafka-local create-topic} (development, benchmarks, the test kit) gives a topic exactly the
 * settings restrictd's own topic creation gives it on the same single broker.
 */
class TopicCreationPathsIT {
    @RegisterExtension
    static final KafkaFixture BROKER = Fixtures.kafka();

    @Test
    void shouldCreateTheSameTopicsAsTheSharedRules() throws Exception {
        KafkaClient client = new KafkaClient(BROKER.bootstrapServers(), "it", Duration.ofSeconds(20), Map.of());
        new Topics(client, new TopicSettings("shared.restrictions", "shared.audit", "shared.state", "shared.leader",
                3, 0, 0, TopicSettings.DEFAULT_DELETE_RETENTION, null)).ensure(true);
        BROKER.createTopic("local.restrictions", 3, true);
        BROKER.createTopic("local.audit", 3, false);
        BROKER.createTopic("local.state", 1, true);
        try (Admin admin = Admin.create(client.admin("it"))) {
            assertSame(admin, "shared.restrictions", "local.restrictions");
            assertSame(admin, "shared.audit", "local.audit");
            assertSame(admin, "shared.state", "local.state");
        }
    }

    private static void assertSame(Admin admin, String shared, String local) throws Exception {
        assertThat(overrides(admin, local)).as(local).isEqualTo(overrides(admin, shared)).isNotEmpty();
        Map<String, TopicDescription> d = admin.describeTopics(List.of(shared, local)).allTopicNames().get();
        assertThat(d.get(local).partitions()).hasSameSizeAs(d.get(shared).partitions());
        assertThat(d.get(local).partitions().get(0).replicas())
                .hasSameSizeAs(d.get(shared).partitions().get(0).replicas());
    }

    /** The topic's own settings (not the broker's defaults). */
    private static Map<String, String> overrides(Admin admin, String topic) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
        Map<String, String> out = new TreeMap<>();
        for (ConfigEntry e : c.entries()) {
            if (e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                out.put(e.name(), e.value());
            }
        }
        return out;
    }
}
