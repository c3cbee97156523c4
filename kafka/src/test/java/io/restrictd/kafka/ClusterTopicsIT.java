package io.restrictd.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared Kafka piece against a real 3-broker KRaft cluster with broker-side topic auto-creation on. */
class ClusterTopicsIT {
    @RegisterExtension
    static final KafkaCluster CLUSTER = new KafkaCluster();

    private static KafkaClient client;
    private static Admin admin;

    @BeforeAll
    static void connect() {
        client = new KafkaClient(CLUSTER.bootstrapServers(), "it", Duration.ofSeconds(20),
                Map.of("allow.auto.create.topics", "true")); // must not win
        admin = Admin.create(client.admin("it-admin"));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void shouldNeverCreateATopicByReadingIt() throws Exception {
        TopicReader reader = new TopicReader(client, "it-reader");
        assertThatThrownBy(() -> reader.readToEnd("it.never.created", r -> { }))
                .isInstanceOf(MissingTopicsException.class).hasMessageContaining("it.never.created");
        Thread.sleep(1000); // an auto-creation would be visible by now
        assertThat(admin.listTopics().names().get()).doesNotContain("it.never.created");
    }

    @Test
    void shouldCreateTopicsReplicatedAndConfiguredByTheRules() throws Exception {
        TopicSettings settings = new TopicSettings("it.rules.restrictions", "it.rules.audit", "it.rules.state",
                "it.rules.leader", 3, 0, 0, Duration.ofHours(30), null);
        List<TopicSpec> created = new Topics(client, settings).ensure(true);
        assertThat(created).extracting(TopicSpec::name)
                .containsExactly("it.rules.restrictions", "it.rules.audit", "it.rules.state", "it.rules.leader");
        assertThat(new Topics(client, settings).ensure(false)).as("a second run creates nothing").isEmpty();

        Map<String, TopicDescription> d = admin.describeTopics(created.stream().map(TopicSpec::name).toList())
                .allTopicNames().get();
        assertThat(d.get("it.rules.restrictions").partitions()).hasSize(3)
                .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        assertThat(d.get("it.rules.state").partitions()).hasSize(1)
                .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        assertThat(config("it.rules.restrictions")).containsEntry("cleanup.policy", "compact")
                .containsEntry("min.insync.replicas", "2").containsEntry("delete.retention.ms", "108000000");
        assertThat(config("it.rules.audit")).containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "-1").containsEntry("min.insync.replicas", "2");
        assertThat(config("it.rules.state")).containsEntry("cleanup.policy", "compact");
        assertThat(config("it.rules.leader")).containsEntry("cleanup.policy", "compact");
        assertThat(new TopicCheck(client, settings, Duration.ofHours(24)).check(admin, OptionalInt.of(3)).problems())
                .isEmpty();
    }

    @Test
    void shouldReportEachProblemWithItsFix() throws Exception {
        admin.createTopics(List.of(new NewTopic("it.bad.restrictions", Optional.of(2), Optional.of((short) 1))
                .configs(Map.of("cleanup.policy", "delete")), new NewTopic("it.bad.audit", 1, (short) 3))).all().get();
        TopicSettings settings = new TopicSettings("it.bad.restrictions", "it.bad.audit", null, null, 3, 0, 0,
                Duration.ofHours(24), null);
        TopicCheck check = new TopicCheck(client, settings, Duration.ofHours(24));
        TopicCheck.Report report = check.check(admin, OptionalInt.of(2));
        assertThat(report.partitions()).hasValue(2);
        assertThat(report.problems()).extracting(TopicProblem::kind)
                .containsExactlyInAnyOrder(TopicProblem.Kind.NOT_COMPACTED, TopicProblem.Kind.UNREPLICATED);
        assertThat(report.problems()).filteredOn(p -> p.kind() == TopicProblem.Kind.NOT_COMPACTED).singleElement()
                .extracting(TopicProblem::fix).isEqualTo("kafka-configs.sh --bootstrap-server "
                        + CLUSTER.bootstrapServers() + " --alter --entity-type topics --entity-name it.bad.restrictions"
                        + " --add-config cleanup.policy=compact");

        // Apply the printed fix's effect, shorten delete.retention.ms, and add a partition.
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "it.bad.restrictions");
        admin.incrementalAlterConfigs(Map.of(res, List.of(
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("delete.retention.ms", "60000"), AlterConfigOp.OpType.SET))))
                .all().get();
        admin.createPartitions(Map.of("it.bad.restrictions", NewPartitions.increaseTo(3))).all().get();
        List<TopicProblem> after = Eventually.await("the changes are visible", Duration.ofSeconds(30),
                () -> check.check(admin, OptionalInt.of(2)).problems(),
                ps -> ps.stream().noneMatch(p -> p.kind() == TopicProblem.Kind.NOT_COMPACTED)
                        && ps.stream().anyMatch(p -> p.kind() == TopicProblem.Kind.PARTITIONS_CHANGED));
        assertThat(after).extracting(TopicProblem::kind).containsExactlyInAnyOrder(
                TopicProblem.Kind.UNREPLICATED, TopicProblem.Kind.SHORT_DELETE_RETENTION,
                TopicProblem.Kind.PARTITIONS_CHANGED);
        assertThat(after).filteredOn(p -> p.kind() == TopicProblem.Kind.SHORT_DELETE_RETENTION).singleElement()
                .extracting(TopicProblem::fix).asString().endsWith("--add-config delete.retention.ms=86400000");
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenABrokerIsKilledMidTransactions() throws Exception {
        TopicSettings settings = new TopicSettings("it.kill.restrictions", "it.kill.audit", null, null, 3, 0, 0,
                Duration.ofHours(24), null);
        new Topics(client, settings).ensure(true);
        int transactions = 60;
        int committed = 0;
        // Longer than the brokers' 15 s session timeout: a call to the killed broker waits until the controller
        // has fenced it and moved its leaderships and transaction coordinators, then goes on.
        KafkaClient patient = new KafkaClient(CLUSTER.bootstrapServers(), "it", Duration.ofSeconds(60), Map.of());
        try (Producer<byte[], byte[]> producer = TransactionalProducer.open(
                patient.transactionalProducer("it-producer", "it-kill-" + System.nanoTime(), 2))) {
            for (int t = 0; t < transactions; t++) {
                if (t == 20) {
                    CLUSTER.kill(2);
                }
                producer.beginTransaction();
                for (int i = 0; i < 50; i++) {
                    byte[] key = ("k" + t + "-" + i).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>("it.kill.restrictions", key, key));
                    producer.send(new ProducerRecord<>("it.kill.audit", key, key));
                }
                producer.commitTransaction(); // with one broker of three down, min.insync.replicas 2 still holds
                committed++;
            }
        } finally {
            CLUSTER.start(2);
        }
        assertThat(committed).isEqualTo(transactions);
        Map<String, Integer> seen = new HashMap<>();
        new TopicReader(client, "it-reader").readToEnd("it.kill.restrictions",
                r -> seen.merge(r.keyText(), 1, Integer::sum));
        assertThat(seen).hasSize(transactions * 50);
        assertThat(Set.copyOf(seen.values())).as("every record exactly once").containsExactly(1);

        // The restarted broker rejoins: every partition back to three in-sync replicas.
        Eventually.await("broker 2 back in sync", Duration.ofMinutes(2),
                () -> minIsr("it.kill.restrictions"), isr -> isr == 3);
    }

    @Test
    void shouldNameTheBrokersWhenNoneAnswer() {
        KafkaClient nowhere = new KafkaClient("127.0.0.1:1", "it", Duration.ofSeconds(2), Map.of());
        assertThatThrownBy(() -> new Topics(nowhere, TopicSettings.defaults()).ensure(true))
                .isInstanceOf(KafkaException.class).hasMessageContaining("127.0.0.1:1");
    }

    private static int minIsr(String topic) {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .mapToInt(p -> p.isr().size()).min().orElse(0);
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<String, String> config(String topic) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
        Map<String, String> out = new HashMap<>();
        c.entries().forEach(e -> out.put(e.name(), e.value()));
        return out;
    }
}
