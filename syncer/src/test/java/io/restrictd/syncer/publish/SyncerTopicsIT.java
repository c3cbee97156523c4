package io.restrictd.syncer.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.kafka.TopicSpec;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topics the syncer creates at start ({@link KafkaSettings#ensureTopics()}) have the configured settings. */
class SyncerTopicsIT {
    @RegisterExtension
    static final KafkaFixture KAFKA = Fixtures.kafka();

    @Test
    void shouldCreateItsTopicsWithTheConfiguredSettings() throws Exception {
        KafkaSettings kafka = new KafkaSettings(new KafkaClient(KAFKA.bootstrapServers(), "it", Duration.ofSeconds(20),
                Map.of()), new TopicSettings("st.restrictions", "st.audit", "st.state", "st.leader", 2, 0, 0,
                Duration.ofHours(36), Duration.ofDays(400)));
        assertThat(kafka.ensureTopics()).extracting(TopicSpec::name)
                .containsExactly("st.restrictions", "st.audit", "st.state", "st.leader");
        assertThat(kafka.ensureTopics()).as("existing topics are left alone").isEmpty();
        try (Admin admin = Admin.create(kafka.client().admin("it"))) {
            for (String t : List.of("st.restrictions", "st.state", "st.leader")) {
                Config c = config(admin, t);
                assertThat(c.get("cleanup.policy").value()).as(t).isEqualTo("compact");
                assertThat(c.get("delete.retention.ms").value()).as(t).isEqualTo("129600000");
                assertThat(c.get("min.insync.replicas").value()).as(t).isEqualTo("1");
            }
            assertThat(config(admin, "st.audit").get("retention.ms").value()).isEqualTo("34560000000");
            assertThat(admin.describeTopics(List.of("st.restrictions", "st.state")).allTopicNames().get())
                    .satisfies(d -> {
                        assertThat(d.get("st.restrictions").partitions()).hasSize(2);
                        assertThat(d.get("st.state").partitions()).hasSize(1);
                    });
        }
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(res)).all().get().get(res);
    }

    @Test
    void shouldRefuseARestrictionsTopicThatIsNotCompacted() {
        KAFKA.createTopic("plain.restrictions", 1, false);
        KafkaSettings kafka = new KafkaSettings(new KafkaClient(KAFKA.bootstrapServers(), "it", Duration.ofSeconds(20),
                Map.of()), new TopicSettings("plain.restrictions", "plain.audit", "plain.state", "plain.leader", 1, 0,
                0, TopicSettings.DEFAULT_DELETE_RETENTION, null));
        assertThatThrownBy(kafka::ensureTopics).isInstanceOf(KafkaException.class)
                .hasMessageContaining("topic plain.restrictions: cleanup.policy is delete, not compact")
                .hasMessageContaining("--add-config cleanup.policy=compact").hasMessageEndingWith("(refusing to publish)");
    }
}
