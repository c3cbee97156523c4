package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
 *
 * <p>{@link #saslSsl()} makes a broker whose port is a SASL_SSL listener ({@code kafka-local --sasl-ssl}):
 * SCRAM-SHA-512 over TLS from a throwaway CA, the StandardAuthorizer denying whatever no ACL allows, and
 * the super user {@code admin}. Clients connect with {@link #clientProperties(String, String)}; the
 * super user's are {@link #adminProperties()}, for creating users, ACLs and topics.
 */
public final class KafkaBroker extends ScriptedServer implements KafkaFixture {

    /** The SCRAM mechanism of a {@link #saslSsl()} broker. */
    public static final String SCRAM = "SCRAM-SHA-512";

    private final boolean saslSsl;
    private volatile String bootstrapServers;

    /** A broker with one PLAINTEXT listener, where every client may do everything. */
    public KafkaBroker() {
        this(false);
    }

    private KafkaBroker(boolean saslSsl) {
        super("kafka-local");
        this.saslSsl = saslSsl;
    }

    /** A broker whose only client listener is SASL_SSL with SCRAM-SHA-512, and ACLs enforced. */
    public static KafkaBroker saslSsl() {
        return new KafkaBroker(true);
    }

    /** The CA certificate (PEM) that signed a {@link #saslSsl()} broker's certificate, for 127.0.0.1. */
    public Path caCertificate() {
        requireSaslSsl();
        return dir().resolve("tls/ca.pem");
    }

    /**
     * Client properties of a {@link #saslSsl()} broker for a SCRAM user: {@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}, and a PEM trust store holding {@link #caCertificate()}.
     */
    public Map<String, String> clientProperties(String user, String password) {
        requireSaslSsl();
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", SCRAM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PEM", "ssl.truststore.location", caCertificate().toString());
    }

    /** {@link #clientProperties} of the super user {@code admin}, whose password is in {@code DIR/admin.properties}. */
    public Map<String, String> adminProperties() {
        requireSaslSsl();
        try {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(dir().resolve("admin.properties"))) {
                p.load(in);
            }
            Map<String, String> m = new java.util.LinkedHashMap<>();
            p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
            return Map.copyOf(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void requireSaslSsl() {
        if (!saslSsl) {
            throw new IllegalStateException("this broker has no SASL_SSL listener: make it with KafkaBroker.saslSsl()");
        }
    }

    /** {@code 127.0.0.1:PORT}, for the {@code bootstrap.servers} client setting. */
    @Override
    public String bootstrapServers() {
        String servers = bootstrapServers;
        if (servers == null) {
            throw notStarted();
        }
        return servers;
    }

    /** The broker's client port on 127.0.0.1 (PLAINTEXT, or SASL_SSL for {@link #saslSsl()}). */
    public int port() {
        String servers = bootstrapServers();
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    /**
     * Creates a topic with replication factor 1 unless it exists.
     *
     * @param compacted {@code cleanup.policy=compact} when true, {@code delete} when false
     */
    @Override
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
        return saslSsl ? List.of("start", dir.toString(), "--sasl-ssl") : List.of("start", dir.toString());
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
