package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.service.cli.TopicsCommand;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookup nodes, the CLI and {@code restrictd topics} against a real 3-broker KRaft cluster whose brokers
 * auto-create topics (Kafka's default): no restrictd client creates a topic by accident, topics are created
 * and checked by the shared rules, and a broker killed with kill -9 loses and duplicates nothing.
 */
class ClusterTopicsNodeIT {
    @RegisterExtension
    static final KafkaCluster CLUSTER = new KafkaCluster();

    @TempDir
    static Path dir;

    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of("bootstrap.servers", CLUSTER.bootstrapServers()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void shouldWaitUnreadyWithoutCreatingTheTopicThenFollowItOnceCreated() throws Exception {
        String topic = "it.late.restrictions";
        NodeProcess node = NodeProcess.builder("late", Files.createDirectories(dir.resolve("late")),
                CLUSTER.bootstrapServers()).topic(topic).build().start();
        try {
            NodeProcess.Json health = Eventually.await("health names the missing topic", Duration.ofSeconds(60),
                    node::healthcheck, h -> String.valueOf(h.body().get("kafka")).contains(topic));
            assertThat(health.status()).isEqualTo(500);
            assertThat(String.valueOf(health.body().get("kafka"))).contains("does not exist",
                    "restrictd topics create --config FILE");
            assertThat(node.status().get("ready")).isEqualTo(false);
            assertThat(node.logText()).contains("topic '" + topic + "' (kafka.topic) does not exist");
            Thread.sleep(2000); // the node has asked for the topic's metadata many times by now
            assertThat(admin.listTopics().names().get()).as("nothing created the topic").doesNotContain(topic);

            Topics created = topicsCreate(topic);
            assertThat(created.code()).as(created.err()).isZero();
            assertThat(created.out()).contains("created topic " + topic + " (3 partitions, replication factor 3");
            assertThat(config(topic)).containsEntry("cleanup.policy", "compact")
                    .containsEntry("min.insync.replicas", "2").containsEntry("delete.retention.ms", "86400000");
            assertThat(config(topic + ".audit")).containsEntry("retention.ms", "-1");

            Eventually.await("ready once the topic exists", Duration.ofSeconds(90), node::status,
                    s -> Boolean.TRUE.equals(s.get("ready")));
            CommandResult add = node.restrict("add", "--kind", "sender", "--subject", "late@example.org",
                    "--action", "REJECT Late");
            assertThat(add.exitCode()).as(add.stderr()).isZero();
            assertThat(Eventually.await("the restriction reaches the node", Duration.ofSeconds(30),
                    () -> node.postmap("late@example.org"), CommandResult::succeeded).value()).isEqualTo("REJECT Late");
            Eventually.await("topics healthy", Duration.ofSeconds(90), node::healthcheck,
                    h -> String.valueOf(h.body().get("topics")).contains("healthy=true"));
        } finally {
            node.stop();
        }
    }

    @Test
    void shouldReportANonCompactedTopicInHealthAndKeepAnswering() throws Exception {
        String topic = "it.plain.restrictions";
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(3), Optional.empty())
                .configs(Map.of("cleanup.policy", "delete")), new NewTopic(topic + ".audit", 1, (short) 3)))
                .all().get();
        NodeProcess node = NodeProcess.builder("plain", Files.createDirectories(dir.resolve("plain")),
                CLUSTER.bootstrapServers()).topic(topic).build().start();
        try {
            NodeProcess.Json health = Eventually.await("health reports the cleanup policy", Duration.ofSeconds(90),
                    node::healthcheck, h -> String.valueOf(h.body().get("topics")).contains("cleanup.policy"));
            assertThat(health.status()).isEqualTo(500);
            assertThat(String.valueOf(health.body().get("topics"))).contains("healthy=false",
                    "kafka-configs.sh --bootstrap-server " + CLUSTER.bootstrapServers() + " --alter --entity-type"
                            + " topics --entity-name " + topic + " --add-config cleanup.policy=compact");
            Eventually.await("ready all the same", Duration.ofSeconds(60), node::status,
                    s -> Boolean.TRUE.equals(s.get("ready")));
            assertThat(node.postmap("nobody@example.org").exitCode()).as("NOTFOUND, not TEMP").isEqualTo(1);
            CommandResult add = node.restrict("add", "--kind", "sender", "--subject", "x@example.org",
                    "--action", "REJECT x");
            assertThat(add.exitCode()).as("the CLI refuses to publish to it").isEqualTo(2);
            assertThat(add.stderr()).contains("not compact", "refusing to publish");
        } finally {
            node.stop();
        }
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenABrokerIsKilledDuringAnImportAndIngest() throws Exception {
        String topic = "it.kill.restrictions";
        assertThat(topicsCreate(topic).code()).isZero();
        NodeProcess node = NodeProcess.builder("kill", Files.createDirectories(dir.resolve("kill")),
                CLUSTER.bootstrapServers()).topic(topic).requestTimeout("10s")
                .override("kafka.requestTimeout=60s").build().start();
        int n = 3000;
        StringBuilder csv = new StringBuilder("kind,subject,action,reason\r\n");
        for (int i = 0; i < n; i++) {
            csv.append("sender,k").append(i).append("@example.org,REJECT Killed ").append(i).append(",test\r\n");
        }
        Path file = Files.writeString(dir.resolve("kill.csv"), csv);
        AnswerWatch watch = new AnswerWatch(node, IntStream.range(0, n).mapToObj(i -> "k" + (i * 37 % n)
                + "@example.org").toList());
        try {
            Eventually.await("ready", Duration.ofSeconds(90), node::status, s -> Boolean.TRUE.equals(s.get("ready")));
            CompletableFuture<CommandResult> imported = CompletableFuture.supplyAsync(
                    () -> node.restrict("import", file.toString(), "--source", "bulk"));
            Thread.sleep(1500);
            CLUSTER.kill(1);
            CommandResult first = imported.get();
            if (first.exitCode() != 0) {
                // A failed import says how much was committed (or that it failed before its first transaction,
                // if the kill came while the CLI was still starting); running it again publishes the same
                // values, once the controller has fenced the killed broker (15 s session) and moved leaderships.
                assertThat(first.stderr()).containsAnyOf("changes committed before the failure",
                        "while starting a transaction");
                Thread.sleep(20_000);
                CommandResult again = node.restrict("import", file.toString(), "--source", "bulk");
                assertThat(again.exitCode()).as(again.stderr()).isZero();
            }
            CLUSTER.start(1);
            Eventually.await("every restriction on the node", Duration.ofMinutes(3), node::status,
                    s -> ((Number) ((Map<?, ?>) s.get("store")).get("restrictions")).intValue() == n);
            for (int i = 0; i < n; i += 97) {
                assertThat(node.postmap("k" + i + "@example.org").value()).isEqualTo("REJECT Killed " + i);
            }
        } finally {
            watch.close();
            assertThat(watch.changedOnceAnswered()).as("an answer changed wrongly").isEmpty();
            node.stop();
        }
    }

    private record Topics(int code, String out, String err) {
    }

    /** {@code restrictd topics create --config FILE} with a node configuration naming {@code topic}. */
    private static Topics topicsCreate(String topic) throws Exception {
        Path config = Files.writeString(dir.resolve(topic + ".yml"), "kafka:\n  bootstrapServers: "
                + CLUSTER.bootstrapServers() + "\n  topic: " + topic + "\n  auditTopic: " + topic + ".audit\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TopicsCommand.execute("create", config.toString(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Topics(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> config(String topic) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
        Map<String, String> out = new java.util.HashMap<>();
        c.entries().forEach(e -> out.put(e.name(), e.value()));
        return out;
    }
}
