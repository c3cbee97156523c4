package io.restrictd.service.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.restrictd.schema.Kind;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Eventually;
import io.restrictd.testkit.Fixtures;
import io.restrictd.testkit.KafkaFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node holding a large MX's crowd of connections: 8,000 on each protocol port, opened and kept by
 * two other processes ({@link ConnectionHolder}; each process has its own open-file limit), while a
 * well-behaved client's lookups keep answering and the per-connection limits keep working. Asserts
 * answers, never latency (that is ops/bench/run's idle-connections section).
 */
class NodeConnectionsIT {
    private static final String TOPIC = "restrictd.restrictions";
    private static final String REJECT = "REJECT crowd test";
    private static final int PER_PORT = 8000;
    private static final Duration HOLD_TIMEOUT = Duration.ofMinutes(4);

    @RegisterExtension
    static KafkaFixture kafka = Fixtures.kafka();

    @RegisterExtension
    static Nodes nodes = new Nodes(kafka::bootstrapServers);

    @BeforeAll
    static void topics() {
        kafka.createTopic(TOPIC, 3, true);
        kafka.createTopic(TOPIC + ".audit", 1, false);
        try (Events events = new Events(kafka.bootstrapServers(), TOPIC)) {
            events.put(Events.restriction("abuse", Kind.SENDER, "blocked@example.org", REJECT));
        }
    }

    private static NodeProcess readyNode(String name, String idleTimeout) {
        NodeProcess node = nodes.node(nodes.builder(name).requestTimeout("2s")
                .override("socketmap.idleTimeout=" + idleTimeout).override("policy.idleTimeout=" + idleTimeout))
                .start();
        Eventually.await("ready", Duration.ofSeconds(90), node::status, s -> Boolean.TRUE.equals(s.get("ready")));
        Eventually.await("the restriction applied", Duration.ofSeconds(30), () -> node.postmap("blocked@example.org"),
                CommandResult::succeeded);
        return node;
    }

    @Test
    void shouldAnswerWellBehavedClientsWhileOtherProcessesHold8000ConnectionsOnEachPort() throws Exception {
        NodeProcess node = readyNode("crowded", "10m");
        try (Holder socketmap = Holder.start("socketmap", node.socketmapPort(), PER_PORT);
                Holder policy = Holder.start("policy", node.policyPort(), PER_PORT)) {
            assertThat(socketmap.awaitLine(HOLD_TIMEOUT)).isEqualTo("held " + PER_PORT);
            assertThat(policy.awaitLine(HOLD_TIMEOUT)).isEqualTo("held " + PER_PORT);

            for (int i = 0; i < 20; i++) { // Postfix's own client: a new connection each time
                CommandResult hit = node.postmap("blocked@example.org");
                assertThat(hit.value()).as(hit.toString()).isEqualTo(REJECT);
                CommandResult miss = node.postmap("fine" + i + "@example.org");
                assertThat(miss.exitCode()).as(miss.toString()).isEqualTo(1);
            }
            try (Wire wire = node.policy()) {
                for (int i = 0; i < 50; i++) {
                    assertThat(wire.policy(Map.of("protocol_state", "RCPT", "sender", "blocked@example.org")))
                            .isEqualTo("action=" + REJECT);
                    assertThat(wire.policy(Map.of("protocol_state", "RCPT", "sender", "fine@example.org")))
                            .isEqualTo("action=DUNNO");
                }
            }
            try (Wire garbage = node.socketmap(); Wire good = node.socketmap()) {
                garbage.send("x:garbage,");
                assertThat(garbage.readNetstring()).startsWith("PERM ");
                assertThat(garbage.closedByServer()).isTrue();
                assertThat(good.lookup("sender", "blocked@example.org")).isEqualTo("OK " + REJECT);
            }
            try (Wire stalled = node.policy()) { // half a request, then silence: the 2 s request timeout
                stalled.send("request=smtpd_access_policy\nsender=slow");
                stalled.readTimeout(20_000);
                assertThat(stalled.closedByServer()).isTrue();
            }

            assertThat(socketmap.check()).as("every held socketmap connection still served").isEqualTo("ok " + PER_PORT);
            assertThat(policy.check()).as("every held policy connection still served").isEqualTo("ok " + PER_PORT);
        }
    }

    @Test
    void shouldCloseAnIdleCrowdAfterTheIdleTimeout() throws Exception {
        NodeProcess node = readyNode("idle-crowd", "10s");
        try (Holder socketmap = Holder.start("socketmap", node.socketmapPort(), 2000)) {
            assertThat(socketmap.awaitLine(HOLD_TIMEOUT)).isEqualTo("held 2000");
            Thread.sleep(15_000);
            assertThat(socketmap.check()).isEqualTo("closed 2000 of 2000");
            assertThat(node.postmap("blocked@example.org").value()).isEqualTo(REJECT);
        }
    }

    /** A {@link ConnectionHolder} process. */
    private static final class Holder implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final OutputStream in;

        private Holder(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = process.getOutputStream();
        }

        static Holder start(String protocol, int port, int count) throws IOException, URISyntaxException {
            Path classes = Path.of(ConnectionHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder pb = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), ConnectionHolder.class.getName(), protocol,
                    Integer.toString(port), Integer.toString(count)))
                    .redirectErrorStream(true);
            return new Holder(pb.start());
        }

        /** The holder's next line of output; fails if none comes within {@code timeout}. */
        String awaitLine(Duration timeout) throws Exception {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Asks one more lookup on every held connection: {@code ok COUNT}, {@code closed K of COUNT}... */
        String check() throws Exception {
            in.write("check\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            return awaitLine(HOLD_TIMEOUT);
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
