package io.restrictd.service.it;

import io.restrictd.testkit.KafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * What a test that kills brokers of a {@link KafkaCluster} asks the cluster: which broker leads a partition or
 * coordinates a transactional id (the brokers worth killing), and whether every replica is back in sync.
 */
final class ClusterAdmin implements AutoCloseable {
    private static final Duration CALL = Duration.ofSeconds(30);

    private final Admin admin;

    ClusterAdmin(KafkaCluster cluster) {
        this.admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "request.timeout.ms", "20000", "default.api.timeout.ms", "30000"));
    }

    /** The broker id leading {@code topic}'s partition {@code partition}. */
    int leaderOf(String topic, int partition) throws Exception {
        return describe(List.of(topic)).get(topic).partitions().get(partition).leader().id();
    }

    /** The broker id coordinating the transactions of {@code transactionalId}. */
    int coordinatorOf(String transactionalId) throws Exception {
        return get(admin.describeTransactions(List.of(transactionalId)).description(transactionalId))
                .coordinatorId();
    }

    /**
     * The partitions of {@code topics} whose in-sync replicas are not all {@link KafkaCluster#SIZE} brokers, as
     * {@code topic-partition isr=[...]}; empty once every replica has caught up (a restarted broker rejoined).
     * A call that fails (a broker just killed) counts as out of sync.
     */
    List<String> outOfSync(List<String> topics) {
        List<String> out = new ArrayList<>();
        try {
            for (TopicDescription d : describe(topics).values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.isr().size() < KafkaCluster.SIZE) {
                        out.add(d.name() + "-" + p.partition() + " isr=" + p.isr().stream().map(n -> n.id()).toList());
                    }
                }
            }
        } catch (Exception e) {
            out.add("(describe failed: " + e + ")");
        }
        return out;
    }

    private Map<String, TopicDescription> describe(List<String> topics) throws Exception {
        return get(admin.describeTopics(topics).allTopicNames());
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f)
            throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(CALL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
