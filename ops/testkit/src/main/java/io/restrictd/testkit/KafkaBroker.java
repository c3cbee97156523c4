package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real single-node KRaft Kafka broker, started by {@code ops/bin/kafka-local}:
 * <pre>
 * &#64;RegisterExtension
 * static KafkaBroker kafka = new KafkaBroker();
 * ...
 * kafka.createTopic("restrictd.restrictions", 3, true);
 * props.put("bootstrap.servers", kafka.bootstrapServers());
 * </pre>
 * A restart ({@link #stop()}, {@link #start()}) or a crash ({@link #kill()}, {@link #start()})
 * keeps the data and the port, so clients reconnect to the same address. Start takes 2-5 s;
 * the very first one on a machine may first build the broker's class path with Maven.
 */
public final class KafkaBroker extends ScriptedServer {

    private volatile String bootstrapServers;

    public KafkaBroker() {
        super("kafka-local");
    }

    /** {@code 127.0.0.1:PORT}, for the {@code bootstrap.servers} client setting. */
    public String bootstrapServers() {
        String servers = bootstrapServers;
        if (servers == null) {
            throw notStarted();
        }
        return servers;
    }

    /** The broker's PLAINTEXT port on 127.0.0.1. */
    public int port() {
        String servers = bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    /**
     * Creates a topic with replication factor 1 unless it exists.
     *
     * @param compacted {@code cleanup.policy=compact} when true, {@code delete} when false
     */
    public void createTopic(String name, int partitions, boolean compacted) {
        if (!isRunning()) {
            throw new IllegalStateException("the broker is not running");
        }
        runScript(List.of("create-topic", dir().toString(), name, Integer.toString(partitions),
                "--cleanup-policy", compacted ? "compact" : "delete"), Duration.ofMinutes(1));
    }

    /**
     * SIGSTOPs the broker: its port still completes TCP handshakes, but nothing answers (a hung broker, or one
     * behind a dead link). {@link #resume()} (SIGCONT) lets it go on; a broker left paused is still killed by
     * {@link #stop()}, whose script escalates to SIGKILL.
     */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONTs a broker {@link #pause()}d; harmless on one that runs. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (!isRunning()) {
            throw new IllegalStateException("the broker is not running");
        }
        String pid;
        try {
            pid = Files.readString(dir().resolve("kafka.pid")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no pid file for the broker in " + dir(), e);
        }
        Commands.check(List.of("kill", "-" + name, pid), Map.of(), null, Duration.ofSeconds(10));
    }

    /** SIGKILLs the broker, as a crash would; {@link #start()} brings it back on the same data. */
    public void kill() {
        killServer();
    }

    @Override
    protected List<String> startArguments(Path dir) {
        return List.of("start", dir.toString());
    }

    @Override
    protected void started(String address) {
        bootstrapServers = address;
    }

    @Override
    protected void checkBinaries() {
        // The broker runs on this JVM's Java (see environment()); its jars come from Maven.
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    @Override
    protected Duration startTimeout() {
        // The first start on a fresh machine may download the broker's jars.
        return Duration.ofMinutes(10);
    }
}
