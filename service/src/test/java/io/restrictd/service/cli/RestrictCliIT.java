package io.restrictd.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.AuditEvent;
import io.restrictd.schema.EventCodec;
import io.restrictd.service.config.KafkaFactory;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restrict CLI against a real broker, run in-process as the launcher would run it. Runs under
 * failsafe, which sets {@code restrictd.home} for the test kit's scripts; skipped elsewhere.
 */
@EnabledIfSystemProperty(named = "restrictd.home", matches = ".+")
class RestrictCliIT {
    private static final String TOPIC = "it.restrictions";
    private static final String AUDIT = "it.audit";

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();

    @TempDir
    static Path dir;
    private static Path config;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void topicsAndConfig() throws IOException {
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(AUDIT, 3, false);
        config = config("node.yml", TOPIC, AUDIT);
    }

    private static Path config(String name, String topic, String audit) throws IOException {
        return Files.writeString(dir.resolve(name), """
                kafka:
                  bootstrapServers: %s
                  topic: %s
                  auditTopic: %s
                  requestTimeout: 20s
                """.formatted(kafka.bootstrapServers(), topic, audit));
    }

    private static Run run(Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock, "mx-it", "tester", new EventCodec());
        List<String> argv = new ArrayList<>(List.of(args));
        argv.add("--config");
        argv.add(config.toString());
        int code = RestrictCommand.execute(argv.toArray(String[]::new), ctx);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Clock.systemUTC(), args);
    }

    @Test
    void shouldAddShowAndLiftARestriction() {
        Run add = run("add", "--kind", "sender", "--subject", "Spammer@Example.ORG",
                "--action", "REJECT Sending suspended, contact abuse@example.org", "--reason", "phishing",
                "--ticket", "AB-1", "--actor", "alice", "--ttl", "7d");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).startsWith("added abuse|sender|spammer@example.org: REJECT Sending suspended,"
                + " contact abuse@example.org (expires ");

        Run show = run("show", "--kind", "sender", "--subject", "spammer@example.org");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("abuse|sender|spammer@example.org", "reason:   phishing", "actor:    alice",
                "ticket:   AB-1", "(in 6d 23h)", "tool=restrict-cli");

        Run lift = run("lift", "--kind", "sender", "--subject", "SPAMMER@example.org", "--reason", "cleaned up");
        assertThat(lift.code()).as(lift.err()).isZero();
        assertThat(lift.out()).isEqualTo("lifted abuse|sender|spammer@example.org (was: REJECT Sending suspended,"
                + " contact abuse@example.org)\n");

        assertThat(run("show", "--kind", "sender", "--subject", "spammer@example.org").code()).isEqualTo(1);
        Run again = run("lift", "--kind", "sender", "--subject", "spammer@example.org");
        assertThat(again.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(again.err()).isEqualTo("restrict lift: abuse|sender|spammer@example.org is not restricted:"
                + " nothing to lift (--force publishes the lift anyway)\n");
        assertThat(run("lift", "--kind", "sender", "--subject", "spammer@example.org", "--force").code()).isZero();
    }

    @Test
    void shouldLiftOnlyTheGivenSourcesRestriction() {
        assertThat(run("add", "--kind", "login", "--subject", "shared", "--action", "DEFER later").code()).isZero();
        assertThat(run("add", "--kind", "login", "--subject", "shared", "--action", "REJECT no", "--source",
                "helpdesk").code()).isZero();
        assertThat(run("lift", "--kind", "login", "--subject", "shared").code()).isZero();
        Run show = run("show", "--kind", "login", "--subject", "shared");
        assertThat(show.out()).contains("helpdesk|login|shared").doesNotContain("abuse|login|shared");
    }

    @Test
    void shouldListCurrentRestrictionsAndHideExpiredOnesUnlessAsked() {
        Clock twoDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
        assertThat(run(twoDaysAgo, "add", "--kind", "sender", "--subject", "old@list.example", "--action", "HOLD",
                "--ttl", "1d", "--source", "listtest").code()).isZero();
        assertThat(run("add", "--kind", "sender", "--subject", "new@list.example", "--action",
                "550 5.7.1 No, \"really\"", "--source", "listtest").code()).isZero();

        Run list = run("list", "--source", "listtest", "--format", "csv");
        assertThat(list.code()).as(list.err()).isZero();
        CsvReader csv = new CsvReader(list.out());
        assertThat(csv.next().fields()).containsExactly("source", "kind", "subject", "action", "reason", "ticket",
                "actor", "createdAt", "expiresAt", "expired");
        List<String> row = csv.next().fields();
        assertThat(row.subList(0, 7)).containsExactly("listtest", "sender", "new@list.example",
                "550 5.7.1 No, \"really\"", "", "", "tester@mx-it");
        assertThat(Instant.parse(row.get(7))).isBefore(Instant.now());
        assertThat(row.subList(8, 10)).containsExactly("", "false");
        assertThat(csv.next()).as("the expired one is left out").isNull();

        Run all = run("list", "--source", "listtest", "--include-expired");
        assertThat(all.out().lines()).hasSize(2);
        assertThat(all.out()).contains("old@list.example", "(EXPIRED)");

        Run json = run("list", "--source", "listtest", "--kind", "sender", "--format", "json");
        assertThat(json.out()).startsWith("{\"schema\":\"restrictd.restriction/v1\"");
        assertThat(run("list", "--source", "nobody").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void shouldWriteAnAuditRecordForEveryAddAndLift() {
        assertThat(run("add", "--kind", "sender", "--subject", "audited@example.org", "--action", "REJECT x",
                "--actor", "carol", "--reason", "spam run", "--ticket", "AB-7").code()).isZero();
        assertThat(run("lift", "--kind", "sender", "--subject", "audited@example.org", "--actor", "dave",
                "--reason", "false positive").code()).isZero();

        EventCodec codec = new EventCodec();
        List<AuditEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(AUDIT)) {
            AuditEvent e = codec.decodeAudit(r.value());
            if (e.key().subject().equals("audited@example.org")) {
                events.add(e);
            }
        }
        assertThat(events).extracting(AuditEvent::op, AuditEvent::actor, AuditEvent::reason, AuditEvent::ticket)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AuditEvent.Op.ADD, "carol", "spam run", "AB-7"),
                        org.assertj.core.groups.Tuple.tuple(AuditEvent.Op.LIFT, "dave", "false positive", null));
        assertThat(events.get(0).restriction().action().render()).isEqualTo("REJECT x");
    }

    @Test
    void shouldImport100kRowsInTransactions() throws IOException {
        int n = 100_000;
        StringBuilder csv = new StringBuilder("kind,subject,action,reason,ttl,ticket\r\n");
        for (int i = 0; i < n; i++) {
            csv.append(i % 2 == 0 ? "sender" : "login").append(",bulk").append(i).append(i % 2 == 0 ? "@example.org" : "")
                    .append(",\"REJECT Suspended, see ticket\",bulk load,").append(i % 3 == 0 ? "30d" : "")
                    .append(",T-").append(i).append("\r\n");
        }
        Path file = Files.writeString(dir.resolve("bulk.csv"), csv);
        long auditBefore = endOffsets(AUDIT);

        long started = System.nanoTime();
        Run imported = run("import", "--format", "csv", file.toString(), "--source", "bulk", "--actor", "importer");
        long importMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(imported.code()).as(imported.err()).isZero();

        started = System.nanoTime();
        Run list = run("list", "--source", "bulk", "--format", "csv");
        long listMs = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("restrict import of %d rows: %d ms (command: %s); list of them back: %d ms%n",
                n, importMs, imported.out().strip(), listMs);

        assertThat(list.out().split("\r\n")).hasSize(n + 1);
        assertThat(endOffsets(AUDIT) - auditBefore).as("one audit record per row, plus commit markers")
                .isGreaterThanOrEqualTo(n);
    }

    @Test
    void shouldPublishNothingFromAFileWithABadRow() throws IOException {
        StringBuilder csv = new StringBuilder("kind,subject,action,reason\n");
        for (int i = 0; i < 1000; i++) {
            csv.append("sender,fine").append(i).append("@example.org,REJECT x,\n");
        }
        csv.append("sender,broken@,REJEKT x,\n");
        Path file = Files.writeString(dir.resolve("bad.csv"), csv);
        long before = endOffsets(TOPIC) + endOffsets(AUDIT);

        Run r = run("import", file.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("line 1002: action: unknown or non-restrictive action 'REJEKT'",
                "1 error; nothing published");
        assertThat(endOffsets(TOPIC) + endOffsets(AUDIT)).isEqualTo(before);
    }

    @Test
    void shouldRefuseAMissingTopicUnlessAskedToCreateItCompacted() throws Exception {
        Path other = config("other.yml", "it.fresh.restrictions", "it.fresh.audit");
        Path saved = config;
        config = other;
        try {
            Run refused = run("add", "--kind", "sender", "--subject", "x@example.org", "--action", "REJECT x");
            assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).startsWith("restrict add: topics it.fresh.restrictions, it.fresh.audit"
                    + " do not exist on " + kafka.bootstrapServers() + "; add --create-topic, or create them with")
                    .contains("kafka-topics.sh --bootstrap-server " + kafka.bootstrapServers()
                            + " --create --topic it.fresh.restrictions --partitions 3 --replication-factor 1"
                            + " --config cleanup.policy=compact");
            Run created = run("add", "--kind", "sender", "--subject", "x@example.org", "--action", "REJECT x",
                    "--create-topic");
            assertThat(created.code()).as(created.err()).isZero();
            assertThat(created.err()).contains("created topic it.fresh.restrictions (3 partitions, replication factor 1,"
                    + " {cleanup.policy=compact, delete.retention.ms=86400000, min.insync.replicas=1})");
        } finally {
            config = saved;
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "it.fresh.restrictions");
            Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(c.get("delete.retention.ms").value()).isEqualTo("86400000");
            ConfigResource audit = new ConfigResource(ConfigResource.Type.TOPIC, "it.fresh.audit");
            assertThat(admin.describeConfigs(List.of(audit)).all().get().get(audit).get("retention.ms").value())
                    .as("the audit is kept forever").isEqualTo("-1");
        }
    }

    private static long endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> tps = partitions(c, topic);
            return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> tps = partitions(c, topic);
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : c.partitionsFor(topic)) {
            tps.add(new TopicPartition(topic, p.partition()));
        }
        return tps;
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new KafkaFactory().clientProperties("it");
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
