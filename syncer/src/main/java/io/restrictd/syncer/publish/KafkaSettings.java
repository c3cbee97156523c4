package io.restrictd.syncer.publish;

import io.restrictd.kafka.KafkaClient;
import io.restrictd.kafka.TopicCheck;
import io.restrictd.kafka.TopicProblem;
import io.restrictd.kafka.TopicSettings;
import io.restrictd.kafka.TopicSpec;
import io.restrictd.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * The Kafka side of the syncer: its clients and its topics (restrictions, audit, and its own state and
 * leader topics).
 *
 * @param client       how the syncer's clients connect
 * @param topicSettings the topics and the rules they are created by; state and leader topics required
 */
public record KafkaSettings(KafkaClient client, TopicSettings topicSettings) {
    public KafkaSettings {
        if (topicSettings.state() == null || topicSettings.leader() == null) {
            throw new IllegalArgumentException("syncer.stateTopic and syncer.leaderTopic: must not be empty");
        }
    }

    /** The compacted restrictions topic. */
    public String topic() {
        return topicSettings.restrictions();
    }

    public String auditTopic() {
        return topicSettings.audit();
    }

    /** The compacted topic holding each syncer's committed position, keyed by syncer id. */
    public String stateTopic() {
        return topicSettings.state();
    }

    /** The single-partition topic whose consumer group elects the active syncer. */
    public String leaderTopic() {
        return topicSettings.leader();
    }

    /** How long one Kafka call may take. */
    public Duration requestTimeout() {
        return client.requestTimeout();
    }

    /**
     * Creates whichever of the syncer's topics are missing, by the shared rules, and refuses topics that
     * would lose what is published to them (not compacted).
     *
     * @return the topics created
     * @throws KafkaException if the brokers do not answer or refuse, or a topic is not compacted (the message
     *                        carries the fix)
     */
    public List<TopicSpec> ensureTopics() {
        try (Admin admin = Admin.create(client.admin("syncer-admin"))) {
            List<TopicSpec> created = new Topics(client, topicSettings).ensure(admin, true);
            for (TopicProblem p : new TopicCheck(client, topicSettings, topicSettings.deleteRetention())
                    .check(admin, OptionalInt.empty()).problems()) {
                if (p.kind() == TopicProblem.Kind.NOT_COMPACTED) {
                    throw new KafkaException(p + " (refusing to publish)");
                }
            }
            return created;
        }
    }

    /** Consumer properties ({@link KafkaClient#consumer}), {@code client.id} suffixed by {@code role}. */
    Properties properties(String role) {
        return client.consumer(role);
    }
}
