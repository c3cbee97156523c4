package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.schema.Restriction;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.KafkaBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lookup nodes while the broker is down, before it was ever reached, across restarts, and against a
 * second node on their store: they answer from the store, never a wrong "not found".
 */
class NodeResilienceIT {
    private static final String TOPIC = "restrictd.restrictions";

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    private static Events events;

    @BeforeAll
    static void topic() {
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(TOPIC + ".audit", 1, false);
        events = new Events(kafka.bootstrapServers(), TOPIC);
    }

    @AfterEach
    void brokerBackUp() {
        if (kafka.isRunning()) {
            kafka.resume(); // harmless unless a test left it paused
        } else {
            kafka.start();
        }
    }

    @AfterAll
    static void closeProducer() {
        if (events != null) {
            events.close();
        }
    }

    @Test
    void shouldKeepAnsweringWhileTheBrokerIsDown() throws Exception {
        NodeProcess node = nodes.node(nodes.builder("down-node").staleAfter("35s")).start();
        Restriction bad = Events.restriction("abuse", Kind.SENDER, "down-bad@example.org", "REJECT Down but restricted");
        events.put(bad);
        awaitAnswer(node, "down-bad@example.org", "OK REJECT Down but restricted");
        Eventually.await("healthy", Duration.ofSeconds(30), node::healthcheck, h -> h.status() == 200);

        kafka.stop();
        SoftAssertions soft = new SoftAssertions();
        long t0 = System.nanoTime();
        boolean noticed = false;
        Map<String, Object> status = null;
        NodeProcess.Json health = null;
        // staleAfter 35s (above the node's 30 s sync refresh, so health does not flap while all is
        // well), kafka.requestTimeout 10s: 50 s is ample for the node to notice.
        while (!noticed && System.nanoTime() - t0 < Duration.ofSeconds(50).toNanos()) {
            assertLookupsUnchanged(node);
            status = node.status();
            health = node.healthcheck();
            noticed = Boolean.FALSE.equals(status.get("kafkaReachable")) || health.status() != 200;
            NodeProcess.sleep(500);
        }
        System.out.println("broker down: noticed=" + noticed + " after " + (System.nanoTime() - t0) / 1_000_000
                + " ms; status " + status + "; health " + health);
        soft.assertThat(noticed).as("/status kafkaReachable false or /healthcheck unhealthy within 50 s of the"
                + " broker stopping; last status %s; last health %s", status, health).isTrue();
        assertLookupsUnchanged(node);

        kafka.start();
        Restriction later = Events.restriction("abuse", Kind.SENDER, "down-later@example.org", "REJECT After restart");
        events.put(later);
        events.lift(bad.key());
        awaitAnswer(node, "down-later@example.org", "OK REJECT After restart");
        awaitAnswer(node, "down-bad@example.org", "NOTFOUND ");
        soft.assertThat(Eventually.await("healthy again", Duration.ofSeconds(60), node::healthcheck,
                h -> h.status() == 200).status()).isEqualTo(200);
        soft.assertAll();
    }

    @Test
    void shouldAnswerFromTheStoreAfterRestartBeforeKafkaIsReachable() throws Exception {
        NodeProcess node = nodes.node(nodes.builder("restart-node")).start();
        events.put(Events.restriction("ldap", Kind.SENDER, "restart-bad@example.org", "REJECT Kept in the store"));
        events.put(Events.restriction("ldap", Kind.LOGIN, "restart-login", "DEFER Kept too"));
        awaitAnswer(node, "restart-bad@example.org", "OK REJECT Kept in the store");
        int exit = node.stop();
        System.out.println("node exit status after SIGTERM: " + exit);
        kafka.stop();

        node.start();
        try (Wire w = node.socketmap()) {
            // the very first lookups after the port opens: from the store, not TEMP
            assertThat(w.lookup("sender", "restart-bad@example.org")).isEqualTo("OK REJECT Kept in the store");
            assertThat(w.lookup("login", "restart-login")).isEqualTo("OK DEFER Kept too");
            assertThat(w.lookup("sender", "restart-good@example.org")).isEqualTo("NOTFOUND ");
        }
        CommandResult viaPostfix = node.postmap("restart-bad@example.org");
        assertThat(viaPostfix.value()).as(viaPostfix.toString()).isEqualTo("REJECT Kept in the store");
        assertThat(node.status()).containsEntry("ready", true);
        // kafka.requestTimeout is 10s: the first metadata call fails after it and ingest retries.
        Map<String, Object> status = Eventually.await("ingest retrying", Duration.ofSeconds(40), node::status,
                s -> "RETRYING".equals(s.get("state")));
        assertThat(status).containsEntry("kafkaReachable", false).containsEntry("ready", true);
        assertThat((String) status.get("lastError")).isNotBlank();
        assertThat(node.healthcheck().status()).as("unhealthy (kafka), while lookups go on").isEqualTo(500);
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "restart-bad@example.org")).isEqualTo("OK REJECT Kept in the store");
        }
    }

    @Test
    void shouldAnswerTempNotNotFoundAfterACrashDuringTheFirstLoad() throws Exception {
        String topic = TOPIC + ".first-load";
        kafka.createTopic(topic, 3, true);
        kafka.createTopic(topic + ".audit", 1, false);
        try (Events load = new Events(kafka.bootstrapServers(), topic)) {
            for (int i = 0; i < 10_000; i++) {
                load.putAsync(Events.restriction("ldap", Kind.SENDER, "load" + i + "@example.org", "REJECT Loaded"));
            }
            load.flush();
        }
        // Ten changes a commit, each synced: the first load takes long enough to be killed in the middle of it.
        NodeProcess node = nodes.node(nodes.builder("first-load-node").topic(topic)
                .override("ingest.maxCommitChanges=10").override("ingest.maxPollRecords=10")).start();
        Map<String, Object> partLoaded = Eventually.await("part of the backlog stored", Duration.ofMinutes(2),
                node::status, s -> !((Map<?, ?>) ((Map<?, ?>) s.get("store")).get("position")).isEmpty());
        node.kill9();
        assertThat(partLoaded).as("killed before the first catch-up").containsEntry("ready", false);

        kafka.pause(); // restarted with the broker unreachable: a part of the topic must not pass for all of it
        node.start();
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "load9999@example.org")).startsWith("TEMP ");
            assertThat(w.lookup("sender", "load0@example.org")).startsWith("TEMP ");
        }
        assertThat(node.status()).containsEntry("ready", false);
        kafka.resume();
        awaitAnswer(node, "load9999@example.org", "OK REJECT Loaded", Duration.ofMinutes(4));
        assertThat(node.status()).containsEntry("ready", true);
    }

    @Test
    void shouldRebuildAStoreLastCaughtUpLongerAgoThanMaxOffline() throws Exception {
        NodeProcess node = nodes.node(nodes.builder("offline-node").override("ingest.maxOffline=2s")).start();
        Restriction lifted = Events.restriction("ldap", Kind.SENDER, "offline-lifted@example.org", "REJECT Lifted later");
        events.put(lifted);
        events.put(Events.restriction("ldap", Kind.SENDER, "offline-kept@example.org", "REJECT Kept"));
        awaitAnswer(node, "offline-lifted@example.org", "OK REJECT Lifted later");
        awaitAnswer(node, "offline-kept@example.org", "OK REJECT Kept");
        node.stop();

        events.lift(lifted.key());
        events.put(Events.restriction("ldap", Kind.SENDER, "offline-added@example.org", "REJECT Added while down"));
        NodeProcess.sleep(3000); // longer than ingest.maxOffline: the store must be rebuilt, not trusted
        node.start();
        Map<String, Object> status = Eventually.await("rebuilt", Duration.ofSeconds(60), node::status,
                s -> ((Number) s.get("rebuilds")).longValue() == 1);
        awaitAnswer(node, "offline-lifted@example.org", "NOTFOUND ");
        awaitAnswer(node, "offline-added@example.org", "OK REJECT Added while down");
        awaitAnswer(node, "offline-kept@example.org", "OK REJECT Kept");
        assertThat((String) ((Map<?, ?>) status.get("store")).get("file")).endsWith("gen-2");
        try (var files = java.nio.file.Files.list(node.store())) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.equals("gen-1")))
                    .as("the old generation is deleted").isEmpty();
        }
    }

    @Test
    void shouldAnswerTempNotNotFoundBeforeFirstCatchUp() throws Exception {
        String nowhere = "127.0.0.1:" + FreePort.find(); // nothing listens there
        NodeProcess node = nodes.node(nodes.builder("fresh-node", nowhere)).start();
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "anyone@example.org")).startsWith("TEMP ");
            assertThat(w.lookup("login", "anyone")).startsWith("TEMP ");
        }
        try (Wire w = node.policy()) {
            assertThat(w.policy(Map.of("protocol_state", "RCPT", "sender", "anyone@example.org")))
                    .isEqualTo("action=DEFER_IF_PERMIT Service temporarily unavailable");
        }
        CommandResult viaPostfix = node.postmap("anyone@example.org");
        assertThat(viaPostfix.stdout()).as(viaPostfix.toString()).isEmpty();
        assertThat(viaPostfix.stderr()).as("postmap reports a lookup error, not a clean NOTFOUND").isNotBlank();
        assertThat(node.status()).containsEntry("ready", false);
        NodeProcess.sleep(3000); // still not ready later: it never caught up
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "anyone@example.org")).startsWith("TEMP ");
        }
    }

    @Test
    void shouldRefuseASecondNodeOnTheSameStore() throws Exception {
        NodeProcess first = nodes.node(nodes.builder("first-node")).start();
        events.put(Events.restriction("abuse", Kind.SENDER, "lock-bad@example.org", "REJECT Locked store"));
        awaitAnswer(first, "lock-bad@example.org", "OK REJECT Locked store");

        NodeProcess second = nodes.node(nodes.builder("second-node").store(first.store()));
        int exit = second.startExpectingExit(Duration.ofSeconds(90));
        assertThat(exit).as(second.logText()).isNotZero();
        assertThat(second.logText()).contains("store directory " + first.store())
                .contains("in use by another restrictd node");

        assertThat(first.isRunning()).isTrue();
        awaitAnswer(first, "lock-bad@example.org", "OK REJECT Locked store");
        events.put(Events.restriction("abuse", Kind.SENDER, "lock-later@example.org", "REJECT Still ingesting"));
        awaitAnswer(first, "lock-later@example.org", "OK REJECT Still ingesting");
    }

    private static void assertLookupsUnchanged(NodeProcess node) throws IOException {
        try (Wire w = node.socketmap()) {
            assertThat(w.lookup("sender", "down-bad@example.org")).isEqualTo("OK REJECT Down but restricted");
            assertThat(w.lookup("sender", "down-good@example.org")).isEqualTo("NOTFOUND ");
        }
        CommandResult r = node.postmap("down-bad@example.org");
        assertThat(r.value()).as(r.toString()).isEqualTo("REJECT Down but restricted");
    }

    private static void awaitAnswer(NodeProcess node, String sender, String reply) {
        awaitAnswer(node, sender, reply, Duration.ofSeconds(60));
    }

    private static void awaitAnswer(NodeProcess node, String sender, String reply, Duration within) {
        Eventually.await(sender + " answered '" + reply + "'", within, () -> {
            try (Wire w = node.socketmap()) {
                return w.lookup("sender", sender);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, reply::equals);
    }
}
