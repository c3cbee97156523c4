package io.restrictd.syncer.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics the syncer writes if they are missing: restrictions and state compacted (a deleted
 * position or restriction would be lost to retention otherwise), audit with the broker's retention, and the
 * leader topic (one partition, never written: only its consumer group matters).
 */
public final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

    private Topics() {
    }

    public static void ensure(KafkaSettings kafka) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        long timeoutMs = kafka.requestTimeout().toMillis();
        try (Admin admin = Admin.create(kafka.properties("syncer-admin"))) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            add(missing, existing, kafka.topic(), kafka.partitions(), true);
            add(missing, existing, kafka.auditTopic(), kafka.partitions(), false);
            add(missing, existing, kafka.stateTopic(), 1, true);
            add(missing, existing, kafka.leaderTopic(), 1, true);
            for (NewTopic t : missing) {
                try {
                    admin.createTopics(List.of(t)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info("created topic {} ({} partitions, {})", t.name(), t.numPartitions(), t.configs());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void add(List<NewTopic> out, Set<String> existing, String name, int partitions, boolean compact) {
        if (!existing.contains(name)) {
            NewTopic t = new NewTopic(name, Optional.of(partitions), Optional.empty());
            if (compact) {
                t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            out.add(t);
        }
    }
}
