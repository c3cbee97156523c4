package io.restrictd.service.cli;

import io.restrictd.service.config.KafkaFactory;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes sure the restrictions and audit topics exist before anything is published. Producers
 * would otherwise let a broker with {@code auto.create.topics.enable} create them silently, with
 * the broker's defaults: not compacted, which would lose every restriction to retention.
 */
final class Topics {
    private final KafkaFactory kafka;

    Topics(KafkaFactory kafka) {
        this.kafka = kafka;
    }

    /**
     * @param create create missing topics (restrictions compacted, audit with the broker's default
     *               retention) instead of failing
     * @throws CliFailure exit 2 naming the missing topics, or exit 3 if the brokers do not answer
     */
    void ensure(boolean create, PrintStream out) {
        long timeoutMs = kafka.getRequestTimeout().toMilliseconds();
        try (Admin admin = Admin.create(kafka.clientProperties("cli-admin"))) {
            List<String> missing = missing(admin, timeoutMs);
            if (missing.isEmpty()) {
                return;
            }
            if (!create) {
                throw CliFailure.usage((missing.size() == 1 ? "topic " + missing.get(0) + " does not exist"
                        : "topics " + String.join(" and ", missing) + " do not exist") + " on "
                        + kafka.getBootstrapServers() + " (check kafka.topic and kafka.auditTopic; add and import"
                        + " create missing topics with --create-topic)");
            }
            List<NewTopic> topics = new ArrayList<>();
            for (String name : missing) {
                NewTopic t = new NewTopic(name, Optional.of(kafka.getPartitions()), Optional.empty());
                if (name.equals(kafka.getTopic())) {
                    t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                topics.add(t);
            }
            for (Map.Entry<String, KafkaFuture<Void>> e : admin.createTopics(topics).values().entrySet()) {
                try {
                    e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    out.println("created topic " + e.getKey() + " (" + kafka.getPartitions() + " partitions"
                            + (e.getKey().equals(kafka.getTopic()) ? ", compacted)" : ")"));
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
        } catch (CliFailure e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KafkaErrors.unavailable(kafka, "checking topics", e);
        } catch (Exception e) {
            throw KafkaErrors.unavailable(kafka, "checking topics", e);
        }
    }

    private List<String> missing(Admin admin, long timeoutMs) throws Exception {
        List<String> missing = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> described = admin
                .describeTopics(List.of(kafka.getTopic(), kafka.getAuditTopic())).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> e : described.entrySet()) {
            try {
                e.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException ex) {
                if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw ex;
                }
                missing.add(e.getKey());
            }
        }
        missing.sort(null);
        return missing;
    }
}
