package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.restrictd.schema.Kind;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.KafkaBroker;
import io.restrictd.testkit.SmallDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real lookup node whose store lives on a small tmpfs that fills up while it ingests a backlog from a real
 * broker: it keeps answering from its store, stops ingest and says why in health (the store's path and "No space
 * left on device"), its JVM survives (no SIGBUS from a memory-mapped file on a full disk), and once space returns
 * ingest resumes by itself to the topic's full content and health turns green. Mounting needs root: skipped
 * otherwise, with a message.
 */
class NodeDiskFullIT {
    private static final String TOPIC = "diskfull.restrictions";
    /** Ingested before the disk fills: these must keep answering. */
    private static final int BEFORE = 500;
    /** The whole topic: the backlog after BEFORE is several MiB of store, far more than the space left. */
    private static final int TOTAL = 20_000;
    private static final String PADDING = " because".repeat(25);

    @RegisterExtension
    static KafkaBroker kafka = new KafkaBroker();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    @TempDir
    Path tmp;

    @Test
    void shouldKeepAnsweringAndSayWhyWhileTheStoreDiskIsFullThenResumeWhenSpaceReturns() throws Exception {
        assumeTrue(SmallDisk.available(), "NodeDiskFullIT: " + SmallDisk.NEEDS_ROOT);
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(TOPIC + ".audit", 1, false);
        try (Events events = new Events(kafka.bootstrapServers(), TOPIC);
                SmallDisk disk = SmallDisk.mount(tmp.resolve("small"), "32m")) {
            Path store = disk.path().resolve("store");
            NodeProcess node = nodes.node(nodes.builder("diskfull").topic(TOPIC).store(store)).start();
            publish(events, 0, BEFORE);
            awaitRestrictions(node, BEFORE);
            Eventually.await("healthy before the disk fills", Duration.ofMinutes(1), node::healthcheck,
                    h -> h.status() == 200);

            disk.fill(256 << 10);
            long filled = System.nanoTime();
            publish(events, BEFORE, TOTAL);
            NodeProcess.Json health = Eventually.await("health names the full disk", Duration.ofMinutes(2),
                    node::healthcheck, h -> String.valueOf(h.body().get("store")).contains("No space left on device"));
            assertThat(health.status()).isEqualTo(500);
            assertThat(String.valueOf(health.body().get("store"))).contains("healthy=false", "ingest stopped",
                    store.toString());
            long stored = restrictions(node);
            System.out.printf("NodeDiskFullIT: disk full at %d of %d restrictions; health: %s%n", stored, TOTAL,
                    health.body().get("store"));
            assertThat(stored).as("ingest stopped short of the backlog").isBetween((long) BEFORE, TOTAL - 1L);
            Map<String, Object> status = node.status();
            assertThat(String.valueOf(((Map<?, ?>) status.get("store")).get("writeError")))
                    .contains("No space left on device");
            for (int i = 0; i < BEFORE; i += 7) {
                CommandResult r = node.postmap(subject(i));
                assertThat(r.exitCode()).as("lookups keep answering from the store: %s", r).isZero();
                assertThat(r.value()).isEqualTo(action(i));
            }
            assertThat(restrictions(node)).as("nothing is applied while the disk stays full").isEqualTo(stored);
            assertThat(node.isRunning()).as("the JVM survives a full disk").isTrue();
            assertThat(node.logText()).doesNotContain("A fatal error has been detected", "SIGBUS");
            long warnings = node.logText().lines().filter(l -> l.contains("WARN") && l.contains("No space left")).count();
            long minutes = Duration.ofNanos(System.nanoTime() - filled).toMinutes();
            assertThat(warnings).as("the log says why, once a minute at most, not at every retry")
                    .isBetween(1L, minutes + 1);

            disk.free();
            awaitRestrictions(node, TOTAL);
            Eventually.await("healthy once space returned", Duration.ofMinutes(1), node::healthcheck,
                    h -> h.status() == 200);
            for (int i = 0; i < TOTAL; i += 997) {
                assertThat(node.postmap(subject(i)).value()).isEqualTo(action(i));
            }
            assertThat(node.status().get("ready")).isEqualTo(true);
            node.stop();
        }
    }

    private static void publish(Events events, int from, int to) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        for (int i = from; i < to; i++) {
            sent.add(events.putAsync(Events.restriction("abuse", Kind.SENDER, subject(i), action(i))));
        }
        for (Future<?> f : sent) {
            f.get();
        }
    }

    private static String subject(int i) {
        return "full" + i + "@example.org";
    }

    private static String action(int i) {
        return "REJECT Full " + i + PADDING;
    }

    private static long restrictions(NodeProcess node) {
        return ((Number) ((Map<?, ?>) node.status().get("store")).get("restrictions")).longValue();
    }

    private static void awaitRestrictions(NodeProcess node, int n) {
        Eventually.await(n + " restrictions in the store", Duration.ofMinutes(3), () -> restrictions(node),
                count -> count == n);
    }
}
