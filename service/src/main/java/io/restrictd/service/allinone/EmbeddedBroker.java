package io.restrictd.service.allinone;

import io.dropwizard.lifecycle.Managed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Kafka broker, KRaft mode, one node that is both broker and controller, inside this JVM: the
 * same server a cluster runs, so all-in-one exercises exactly the topics, transactions and fetch paths of a
 * cluster. It listens on loopback only and keeps its log under {@code dataDir/data}.
 *
 * <p>{@link #lock()} takes an exclusive lock on {@code dataDir} before anything else starts, so a second
 * all-in-one on the same directory fails at once with a message naming it (Kafka's own lock would only
 * trip after ports and the store were taken). {@link #start()} formats the log directory on first use (a new
 * cluster id, recorded in {@code meta.properties}) and starts the server; {@link #stop()} shuts it down
 * (a clean shutdown writes its recovery checkpoints, so the next start needs no log recovery).
 */
public final class EmbeddedBroker implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    static final String CONTROLLER = "CONTROLLER";

    private final Path dataDir;
    private final String host;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private FileChannel lockChannel;
    private FileLock lock;
    private volatile KafkaRaftServer server;

    EmbeddedBroker(Path dataDir, String host, int port, int controllerPort, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    /** host:port clients connect to. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates {@code dataDir} if needed and locks it for this process.
     *
     * @throws AllInOneException naming the directory if it cannot be created or written, or is locked by
     *                           another process
     */
    public void lock() {
        Path lockFile = dataDir.resolve("restrictd.lock");
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new AllInOneException("broker.dataDir: cannot create or write " + dataDir + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        try {
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeLock();
            throw new AllInOneException("broker.dataDir: " + dataDir + " is in use by another restrictd all-in-one"
                    + " (lock held on " + lockFile + "); stop it first, or give this one another directory");
        }
    }

    @Override
    public void start() throws Exception {
        if (lock == null) {
            lock();
        }
        Properties props = properties();
        Path logDir = dataDir.resolve("data");
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(props, logDir);
        }
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        long t0 = System.nanoTime();
        s.startup();
        server = s;
        LOG.info("embedded Kafka broker listening on {} (data {}), started in {} ms", bootstrapServers(), logDir,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void format(Properties props, Path logDir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(out, true, StandardCharsets.UTF_8);
        new Formatter()
                .setPrintStream(quiet)
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName(CONTROLLER)
                .setMetadataLogDirectory(logDir.toString())
                .setDirectories(Set.of(logDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
        LOG.info("formatted a new single-node Kafka log in {}: {}", logDir, out.toString(StandardCharsets.UTF_8).trim());
    }

    /** The broker's configuration: a single node, loopback only, every internal topic with one replica. */
    Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER + "://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        // Topics are created on purpose, by restrictd's topic rules, never by a consumer's or producer's typo.
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Few threads: this broker serves one process's clients on loopback and shares its CPU with lookups.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        // One broker: there is nobody to hand partition leadership to, so no controlled shutdown (it only delays
        // SIGTERM); the clean shutdown still writes the recovery checkpoints.
        p.put("controlled.shutdown.enable", "false");
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "3000");
        overrides.forEach(p::put);
        return p;
    }

    @Override
    public void stop() {
        KafkaRaftServer s = server;
        server = null;
        if (s != null) {
            long t0 = System.nanoTime();
            s.shutdown();
            s.awaitShutdown();
            LOG.info("embedded Kafka broker stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
        closeLock();
    }

    /** {@code broker}: healthy while the embedded broker runs. */
    com.codahale.metrics.health.HealthCheck healthCheck() {
        return new com.codahale.metrics.health.HealthCheck() {
            @Override
            protected Result check() {
                return server != null ? Result.healthy("running on %s, data in %s", bootstrapServers(), dataDir)
                        : Result.unhealthy("not running");
            }
        };
    }

    private void closeLock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("releasing the lock on {}: {}", dataDir, e.toString());
        }
        lock = null;
        lockChannel = null;
    }
}
