package io.restrictd.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real 3-broker KRaft cluster on loopback, as a JUnit 5 extension: three processes, each broker and
 * controller at once ({@code process.roles=broker,controller}), from the same Maven artifacts as
 * {@code ops/bin/kafka-local} (its {@code classpath} command). Internal topics are replicated 3 with
 * {@code transaction.state.log.min.isr=2}, so the cluster keeps committing transactions with one broker
 * down. Broker-side topic auto-creation is left at Kafka's default, <em>on</em>: a test that shows a
 * restrictd client creates no topic proves something only here. Session and quorum timeouts are generous
 * (three JVMs share 2 CPUs with the test); each broker gets {@code -Xmx384m}.
 *
 * <pre>
 * &#64;RegisterExtension
 * static KafkaCluster cluster = new KafkaCluster();
 * ... cluster.kill(2); ... cluster.start(2);   // kill -9 and restart broker 2 on its data
 * </pre>
 * Not thread-safe for concurrent start/kill. Start takes 10-30 s here.
 */
public final class KafkaCluster implements BeforeAllCallback, AfterAllCallback {
    /** Brokers in the cluster, numbered 1..SIZE. */
    public static final int SIZE = 3;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Map<String, String> overrides;
    private Path dir;
    private final int[] ports = new int[SIZE + 1];
    private final int[] controllerPorts = new int[SIZE + 1];
    private final Process[] processes = new Process[SIZE + 1];
    private String classpath;
    private Thread hook;

    /** With Kafka's defaults for everything this class does not set. */
    public KafkaCluster() {
        this(Map.of());
    }

    /** @param overrides extra or replaced server properties, the same on every broker */
    public KafkaCluster(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        startAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    /** {@code 127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3}. */
    public String bootstrapServers() {
        return IntStream.rangeClosed(1, SIZE).mapToObj(i -> "127.0.0.1:" + ports[i]).collect(Collectors.joining(","));
    }

    /** The cluster's directory: one sub-directory per broker with its configuration, data and logs. */
    public Path dir() {
        return dir;
    }

    /** Formats the three brokers' storage on first use and starts every broker not running. */
    public synchronized void startAll() throws IOException, InterruptedException {
        if (dir == null) {
            dir = Files.createTempDirectory("restrictd-kafka-cluster-").toRealPath();
            classpath = Commands.check(List.of("bash", Repository.script("kafka-local").toString(), "classpath"),
                    Map.of("JAVA_HOME", System.getProperty("java.home")), null, Duration.ofMinutes(10)).value();
            for (int i = 1; i <= SIZE; i++) {
                ports[i] = FreePort.find();
                controllerPorts[i] = FreePort.find();
            }
            String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(uuidBytes());
            for (int i = 1; i <= SIZE; i++) {
                writeConfig(i);
                Process format = run(i, List.of("-Xmx256m", "kafka.tools.StorageTool", "format", "-t", clusterId,
                        "-c", config(i).toString()), "format.log");
                if (format.waitFor() != 0) {
                    throw new IllegalStateException("formatting broker " + i + " failed; see " + node(i)
                            + "/logs/format.log");
                }
            }
            hook = new Thread(this::destroyAll, "restrictd-kafka-cluster-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        for (int i = 1; i <= SIZE; i++) {
            launch(i);
        }
        for (int i = 1; i <= SIZE; i++) {
            awaitStarted(i);
        }
    }

    /** Starts broker {@code id} (1..3) on its data, if it is not running, and waits until it has started. */
    public synchronized void start(int id) throws IOException, InterruptedException {
        launch(id);
        awaitStarted(id);
    }

    /** SIGKILLs broker {@code id} (1..3), as a crash would, and waits until it is gone. */
    public synchronized void kill(int id) throws InterruptedException {
        Process p = processes[id];
        if (p != null) {
            p.destroyForcibly(); // SIGKILL on Linux
            p.waitFor();
            processes[id] = null;
        }
    }

    /** Whether broker {@code id}'s process runs. */
    public boolean isRunning(int id) {
        Process p = processes[id];
        return p != null && p.isAlive();
    }

    /** Stops every broker (SIGTERM, then SIGKILL after 30 s) and deletes the directory unless kept. */
    public synchronized void stopAll() {
        for (int i = 1; i <= SIZE; i++) {
            Process p = processes[i];
            if (p != null) {
                p.destroy();
            }
        }
        for (int i = 1; i <= SIZE; i++) {
            Process p = processes[i];
            if (p != null) {
                try {
                    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
                processes[i] = null;
            }
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds nothing left
            }
            hook = null;
        }
        if (dir != null && !Boolean.getBoolean("restrictd.testkit.keep")) {
            Commands.check(List.of("rm", "-rf", dir.toString()), Map.of(), null, Duration.ofMinutes(1));
            dir = null;
        }
    }

    private void destroyAll() {
        for (Process p : processes) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    private void launch(int id) throws IOException {
        if (isRunning(id)) {
            return;
        }
        Path log = node(id).resolve("logs/server.log");
        if (Files.exists(log)) {
            Files.move(log, node(id).resolve("logs/server.log." + System.nanoTime()));
        }
        processes[id] = run(id, List.of("-Xmx384m", "-Xms128m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
                "kafka.Kafka", config(id).toString()), "kafka.out");
    }

    /** Starts a JVM on the broker class path: {@code jvmAndMain} are JVM options, then the main class and args. */
    private Process run(int id, List<String> jvmAndMain, String out) throws IOException {
        Path logs = Files.createDirectories(node(id).resolve("logs"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dkafka.logs.dir=" + logs);
        command.add("-Dlog4j2.configurationFile=" + Repository.root().resolve("ops/kafka/log4j2.properties"));
        int main = jvmAndMain.indexOf(jvmAndMain.stream().filter(a -> a.startsWith("kafka.")).findFirst()
                .orElseThrow());
        command.addAll(jvmAndMain.subList(0, main));
        command.add("-cp");
        command.add(classpath);
        command.addAll(jvmAndMain.subList(main, jvmAndMain.size()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(out).toFile()).start();
    }

    private void awaitStarted(int id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Path log = node(id).resolve("logs/server.log");
        while (!(Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("Kafka Server started"))) {
            Process p = processes[id];
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException("broker " + id + " exited during start; see " + node(id) + "/logs");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("broker " + id + " did not start within " + START_TIMEOUT + "; see "
                        + node(id) + "/logs");
            }
            Thread.sleep(200);
        }
    }

    private void writeConfig(int id) throws IOException {
        String voters = IntStream.rangeClosed(1, SIZE).mapToObj(i -> i + "@127.0.0.1:" + controllerPorts[i])
                .collect(Collectors.joining(","));
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(id));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + ports[id] + ",CONTROLLER://127.0.0.1:" + controllerPorts[id]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[id]);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", node(id).resolve("data").toString());
        p.put("offsets.topic.replication.factor", "3");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("transaction.state.log.num.partitions", "3");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Generous for three JVMs on 2 shared CPUs: a GC pause or a busy test must not fence a live broker.
        p.put("broker.heartbeat.interval.ms", "1000");
        p.put("broker.session.timeout.ms", "15000");
        p.put("controller.quorum.election.timeout.ms", "5000");
        p.put("controller.quorum.fetch.timeout.ms", "10000");
        p.put("replica.lag.time.max.ms", "30000");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.putAll(overrides);
        Files.createDirectories(node(id));
        Files.writeString(config(id), p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "# written by io.restrictd.testkit.KafkaCluster\n", "\n")));
    }

    private Path node(int id) {
        return dir.resolve("broker-" + id);
    }

    private Path config(int id) {
        return node(id).resolve("server.properties");
    }

    private static byte[] uuidBytes() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return b.array();
    }

    /** For messages: the ports, so a test's failure names the brokers. */
    @Override
    public String toString() {
        return "KafkaCluster[" + (dir == null ? "not started" : bootstrapServers() + " in " + dir) + "]";
    }
}
