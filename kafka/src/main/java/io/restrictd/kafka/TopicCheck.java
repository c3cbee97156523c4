package io.restrictd.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Reads the configuration of the topics restrictd uses and says what is wrong with it: a restrictions (or
 * state) topic that is not compacted, a replication factor of 1 on a multi-broker cluster, a
 * {@code delete.retention.ms} shorter than the node's {@code ingest.maxOffline}, a restrictions topic whose
 * partition count changed since the caller last saw it, a topic that does not exist. Each problem carries
 * the exact command that fixes it, or an explanation where none does. Reads only (Describe and
 * DescribeConfigs on the topics, Describe on the cluster).
 */
public final class TopicCheck {
    private final KafkaClient client;
    private final TopicSettings settings;
    private final Duration maxOffline;
    private final boolean restrictionsOnly;

    /**
     * Checks every topic of {@code settings}.
     *
     * @param maxOffline the node's {@code ingest.maxOffline}: tombstones must be kept at least this long
     *                   (the syncer and the CLI pass {@link TopicSettings#deleteRetention()})
     */
    public TopicCheck(KafkaClient client, TopicSettings settings, Duration maxOffline) {
        this(client, settings, maxOffline, false);
    }

    private TopicCheck(KafkaClient client, TopicSettings settings, Duration maxOffline, boolean restrictionsOnly) {
        this.client = client;
        this.settings = settings;
        this.maxOffline = maxOffline;
        this.restrictionsOnly = restrictionsOnly;
    }

    /** Checks only the restrictions topic: all a lookup node reads. */
    public static TopicCheck restrictionsOnly(KafkaClient client, TopicSettings settings, Duration maxOffline) {
        return new TopicCheck(client, settings, maxOffline, true);
    }

    /** What one check found. {@code partitions} is the restrictions topic's count, empty when it is missing. */
    public record Report(List<TopicProblem> problems, OptionalInt partitions) {
    }

    /**
     * @param knownPartitions the restrictions topic's partition count when the caller last saw it, or empty
     * @throws KafkaException when the brokers do not answer or refuse (the cause says why)
     */
    public Report check(Admin admin, OptionalInt knownPartitions) {
        long timeoutMs = client.requestTimeout().toMillis();
        List<TopicProblem> problems = new ArrayList<>();
        try {
            int brokers = admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS).size();
            List<TopicSpec> specs = settings.specs(brokers).stream()
                    .filter(t -> !restrictionsOnly || t.name().equals(settings.restrictions())).toList();
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(specs.stream().map(TopicSpec::name).toList()).topicNameValues();
            List<ConfigResource> compacted = new ArrayList<>();
            OptionalInt partitions = OptionalInt.empty();
            for (TopicSpec spec : specs) {
                TopicDescription d = describe(spec.name(), described.get(spec.name()), timeoutMs);
                if (d == null) {
                    problems.add(new TopicProblem(TopicProblem.Kind.MISSING, spec.name(), "does not exist",
                            "restrictd topics create --config FILE, or " + spec.kafkaTopicsCommand(bootstrap())));
                    continue;
                }
                if (spec.name().equals(settings.restrictions())) {
                    partitions = OptionalInt.of(d.partitions().size());
                    partitionsChanged(d, knownPartitions).ifPresent(problems::add);
                }
                replication(d, brokers).ifPresent(problems::add);
                if (TopicConfig.CLEANUP_POLICY_COMPACT.equals(spec.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG))) {
                    compacted.add(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
                }
            }
            if (!compacted.isEmpty()) {
                configs(describeConfigs(admin, compacted, timeoutMs), problems);
            }
            return new Report(List.copyOf(problems), partitions);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw AdminFailures.of(e, bootstrap(), timeoutMs);
        }
    }

    /**
     * The topic's description, or null when it does not exist; other failures are thrown, a refusal naming the
     * topic (the admin client's own names none).
     */
    static TopicDescription describe(String topic, KafkaFuture<TopicDescription> f, long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw named(e, topic);
        }
    }

    private static Map<ConfigResource, Config> describeConfigs(Admin admin, List<ConfigResource> topics,
            long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(topics).values();
        Map<ConfigResource, Config> configs = new java.util.LinkedHashMap<>();
        for (ConfigResource topic : topics) {
            try {
                configs.put(topic, futures.get(topic).get(timeoutMs, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                throw named(e, topic.name());
            }
        }
        return configs;
    }

    /** {@code e}, or for a refusal that names no topic, one naming {@code topic}. */
    private static ExecutionException named(ExecutionException e, String topic) {
        if (e.getCause() instanceof TopicAuthorizationException t && t.unauthorizedTopics().isEmpty()) {
            return new ExecutionException(new TopicAuthorizationException(t.getMessage(), java.util.Set.of(topic)));
        }
        return e;
    }

    private void configs(Map<ConfigResource, Config> configs, List<TopicProblem> problems) {
        for (Map.Entry<ConfigResource, Config> e : configs.entrySet()) {
            String topic = e.getKey().name();
            String policy = value(e.getValue(), TopicConfig.CLEANUP_POLICY_CONFIG);
            if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
                problems.add(new TopicProblem(TopicProblem.Kind.NOT_COMPACTED, topic, "cleanup.policy is " + policy + ", not compact: the broker"
                        + " deletes records after retention.ms and a node built later misses every older one",
                        alter(topic, TopicConfig.CLEANUP_POLICY_CONFIG + "=" + TopicConfig.CLEANUP_POLICY_COMPACT)));
            }
            String retention = value(e.getValue(), TopicConfig.DELETE_RETENTION_MS_CONFIG);
            if (retention != null && Long.parseLong(retention) < maxOffline.toMillis()) {
                problems.add(new TopicProblem(TopicProblem.Kind.SHORT_DELETE_RETENTION, topic, "delete.retention.ms is " + retention + ", shorter than"
                        + " ingest.maxOffline (" + maxOffline.toMillis() + " ms): a node offline that long may miss"
                        + " tombstones and keep lifted restrictions",
                        alter(topic, TopicConfig.DELETE_RETENTION_MS_CONFIG + "=" + maxOffline.toMillis())));
            }
        }
    }

    private Optional<TopicProblem> replication(TopicDescription d, int brokers) {
        int min = d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        if (brokers > 1 && min == 1) {
            return Optional.of(new TopicProblem(TopicProblem.Kind.UNREPLICATED, d.name(), "replication factor 1 on a cluster of "
                    + brokers + " brokers: one lost disk loses the topic",
                    "the replication factor cannot be changed with kafka-configs.sh; add replicas with"
                            + " kafka-reassign-partitions.sh --bootstrap-server " + bootstrap()
                            + " --execute --reassignment-json-file FILE (docs/kafka-topics.md shows the file)"));
        }
        return Optional.empty();
    }

    private static Optional<TopicProblem> partitionsChanged(TopicDescription d, OptionalInt known) {
        int now = d.partitions().size();
        if (known.isPresent() && known.getAsInt() != now) {
            return Optional.of(new TopicProblem(TopicProblem.Kind.PARTITIONS_CHANGED, d.name(), "has " + now + " partitions, but "
                    + known.getAsInt() + " when last seen: adding partitions moves keys, so a lift can land in"
                    + " another partition than the restriction it lifts",
                    "no command undoes it; recreate the topic with " + known.getAsInt() + " partitions and"
                            + " republish (restrict list --format csv, then restrict import), or keep " + now
                            + " and republish every restriction so each key's latest record is in its new partition"));
        }
        return Optional.empty();
    }

    private String alter(String topic, String config) {
        return "kafka-configs.sh --bootstrap-server " + bootstrap() + " --alter --entity-type topics --entity-name "
                + topic + " --add-config " + config;
    }

    private String bootstrap() {
        return client.bootstrapServers();
    }

    private static String value(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null ? null : entry.value();
    }

    /** One line per problem, for logs and health messages. */
    public static String summary(Collection<TopicProblem> problems) {
        return String.join(" | ", problems.stream().map(TopicProblem::toString).toList());
    }
}
