package io.restrictd.service.it;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.Postfix;
import io.restrictd.testkit.Repository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real lookup node as a child process, started the way an operator starts one:
 * {@code ops/bin/restrictd node CONFIG} with {@code RESTRICTD_JAR} set to a copy of {@code service/target/restrictd.jar}. The
 * configuration is {@code it/node.yml.template} (the keys of {@code ops/config/node.yml}) with free
 * loopback ports, a store directory and the broker filled in, partly through {@code ${ENV}}
 * substitution and partly through {@code -Ddw.<path>=value} overrides in {@code JAVA_OPTS}, so both
 * mechanisms the launcher documents are exercised.
 *
 * <p>Every start appends the node's stdout and stderr to {@link #log()}. Use it through {@link Nodes},
 * which kills every node when its test (or class) ends and prints the logs of a failed test. A JVM
 * shutdown hook kills whatever is left if the test JVM dies first.
 */
public final class NodeProcess {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static Path jarCopy;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "restrictd-it-node-kill"));
    }

    private final String name;
    private final Path dir;
    private final Path config;
    private final Path store;
    private final Path log;
    private final String bootstrapServers;
    private final List<String> overrides;
    private final Path classDataArchives;
    private final boolean classDataArchivesOn;
    private final int socketmapPort;
    private final int policyPort;
    private final int httpPort;
    private final int adminPort;
    private volatile Process process;

    private NodeProcess(Builder b) {
        this.name = b.name;
        this.dir = b.dir;
        this.store = b.store != null ? b.store : b.dir.resolve("store");
        this.log = b.dir.resolve(b.name + ".log");
        this.config = b.dir.resolve(b.name + ".yml");
        this.bootstrapServers = b.bootstrapServers;
        this.overrides = List.copyOf(b.overrides);
        this.classDataArchives = b.classDataArchives;
        this.classDataArchivesOn = b.classDataArchivesOn;
        this.socketmapPort = b.socketmapPort > 0 ? b.socketmapPort : FreePort.find();
        this.policyPort = FreePort.find();
        this.httpPort = FreePort.find();
        this.adminPort = FreePort.find();
        String yml = template()
                .replace("@TOPIC@", b.topic)
                .replace("@AUDIT@", b.topic + ".audit")
                .replace("@STALE_AFTER@", b.staleAfter)
                .replace("@REQUEST_TIMEOUT@", b.requestTimeout)
                .replace("@POLICY_PORT@", Integer.toString(policyPort))
                .replace("@KAFKA_PROPERTIES@", kafkaProperties(b.kafkaProperties));
        try {
            Files.writeString(config, yml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code  properties:} of the {@code kafka:} section, each value double-quoted; empty when there are none. */
    static String kafkaProperties(Map<String, String> properties) {
        StringBuilder yml = new StringBuilder(properties.isEmpty() ? "" : "  properties:\n");
        properties.forEach((k, v) -> yml.append("    ").append(k).append(": \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
        return yml.toString();
    }

    public static Builder builder(String name, Path dir, String bootstrapServers) {
        return new Builder(name, dir, bootstrapServers);
    }

    /** Options of a node; everything not set is as in {@code ops/config/node.yml}. */
    public static final class Builder {
        private final String name;
        private final Path dir;
        private final String bootstrapServers;
        private final List<String> overrides = new ArrayList<>();
        private String topic = "restrictd.restrictions";
        private Path store;
        private String staleAfter = "5m";
        private String requestTimeout = "10s";
        private int socketmapPort;
        private Path classDataArchives;
        private boolean classDataArchivesOn = true;
        private final Map<String, String> kafkaProperties = new java.util.TreeMap<>();

        private Builder(String name, Path dir, String bootstrapServers) {
            this.name = name;
            this.dir = dir;
            this.bootstrapServers = bootstrapServers;
        }

        public Builder topic(String t) {
            topic = t;
            return this;
        }

        /** The store directory; default {@code DIR/store}. Two nodes given the same one share it. */
        public Builder store(Path s) {
            store = s;
            return this;
        }

        public Builder staleAfter(String d) {
            staleAfter = d;
            return this;
        }

        /** socketmap and policy {@code requestTimeout}. */
        public Builder requestTimeout(String d) {
            requestTimeout = d;
            return this;
        }

        /** A socketmap port chosen in advance (e.g. for a Postfix instance configured first). */
        public Builder socketmapPort(int port) {
            socketmapPort = port;
            return this;
        }

        /** The launcher's class-data archives in {@code dir} (off by default in tests: see the build's failsafe setup). */
        public Builder classDataArchives(Path archives) {
            classDataArchives = archives;
            return this;
        }

        /** As {@link #classDataArchives}, but with {@code RESTRICTD_CDS=off}, as an operator turns them off. */
        public Builder classDataArchivesOff(Path archives) {
            classDataArchives = archives;
            classDataArchivesOn = false;
            return this;
        }

        /** An extra JVM option, as given. */
        public Builder jvmOption(String option) {
            overrides.add(option);
            return this;
        }

        /** {@code kafka.properties} (security.protocol, sasl.*, ssl.*), written into the node's YAML file. */
        public Builder kafkaProperties(Map<String, String> properties) {
            kafkaProperties.putAll(properties);
            return this;
        }

        /** An extra Dropwizard override, {@code path=value} (passed as {@code -Ddw.path=value}). */
        public Builder override(String pathAndValue) {
            overrides.add("-Ddw." + pathAndValue);
            return this;
        }

        public NodeProcess build() {
            return new NodeProcess(this);
        }
    }

    /** Starts the node and waits until its socketmap and HTTP ports accept connections. */
    public NodeProcess start() {
        launch();
        awaitListening();
        return this;
    }

    /**
     * Starts the node without waiting; for a node expected to fail.
     *
     * @return the exit code, once it has exited (fails if it is still running after {@code within})
     */
    int startExpectingExit(Duration within) throws InterruptedException {
        launch();
        Process p = process;
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + within + "\n" + logText());
        }
        LIVE.remove(p);
        return p.exitValue();
    }

    /**
     * Starts the node and returns at once, for a test that races the start: a lookup as soon as the socketmap
     * port accepts, or a kill at a random instant of the start. {@link #awaitListening()} waits for the ports.
     */
    NodeProcess launchOnly() {
        launch();
        return this;
    }

    private void launch() {
        if (isRunning()) {
            throw new IllegalStateException(name + " already runs");
        }
        Path root = Repository.root();
        List<String> javaOpts = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xlog:gc:file=" + dir.resolve(name + "-gc-%p.log"), "-Ddw.socketmap.listen=127.0.0.1:" + socketmapPort));
        javaOpts.addAll(overrides);
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("ops/bin/restrictd").toString(), "node",
                config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("RESTRICTD_JAR", jar().toString());
        env.put("JAVA_OPTS", String.join(" ", javaOpts));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(configEnvironment());
        if (classDataArchives != null) {
            env.put("RESTRICTD_CDS", classDataArchivesOn ? "on" : "off");
            env.put("RESTRICTD_CDS_DIR", classDataArchives.toString());
        }
        try {
            Files.writeString(log, "=== " + name + " starting: " + String.join(" ", pb.command()) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        LIVE.add(process);
    }

    /** What the configuration file takes from the environment. */
    private Map<String, String> configEnvironment() {
        return Map.of("RESTRICTD_KAFKA", bootstrapServers, "RESTRICTD_STORE", store.toString(),
                "RESTRICTD_HTTP_PORT", Integer.toString(httpPort), "RESTRICTD_ADMIN_PORT", Integer.toString(adminPort));
    }

    /** Waits until the socketmap and HTTP ports accept connections; fails if the node exits or takes too long. */
    void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                LIVE.remove(process);
                throw new AssertionError(name + " exited with " + process.exitValue() + " during start\n" + logText());
            }
            // The protocol ports open first, the HTTP side (status, health) after: started means both.
            if (accepts(socketmapPort) && accepts(httpPort)) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(name + " did not listen on socketmap port " + socketmapPort + " and HTTP port "
                + httpPort + " within " + START_TIMEOUT + "\n" + logText());
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM, then waits for the node to stop (its shutdown hooks close the store); returns the exit code. */
    public int stop() throws InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return p == null ? -1 : p.exitValue();
        }
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            LIVE.remove(p);
            throw new AssertionError(name + " did not stop within 60 s of SIGTERM\n" + logText());
        }
        LIVE.remove(p);
        return p.exitValue();
    }

    /** SIGKILL, as a crash would; checks that the process did die of SIGKILL (exit status 137). */
    public void kill9() throws InterruptedException {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        // On Linux Process.destroyForcibly sends SIGKILL; the exit status below proves it.
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
        LIVE.remove(p);
        if (p.exitValue() != 128 + 9) {
            throw new AssertionError(name + " exited with " + p.exitValue() + ", not 137 (SIGKILL)");
        }
    }

    /** Kills the node if it runs, without waiting for a graceful stop; for cleanup. */
    public void destroy() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LIVE.remove(p);
        }
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** {@code GET /status} on the application port. */
    public Map<String, Object> status() {
        return getJson("http://127.0.0.1:" + httpPort + "/status").body();
    }

    /** {@code GET /restrictions/{subject}?kind=...} on the application port. */
    public Map<String, Object> explain(String kind, String subject) {
        String encoded = java.net.URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
        return getJson("http://127.0.0.1:" + httpPort + "/restrictions/" + encoded + "?kind=" + kind).body();
    }

    /** {@code GET /healthcheck} on the admin port: the HTTP status (200 all healthy, 500 otherwise) and body. */
    Json healthcheck() {
        return getJson("http://127.0.0.1:" + adminPort + "/healthcheck");
    }

    /** {@code GET /prometheus} on the admin port: the Prometheus text. */
    public String prometheus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET /prometheus failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON response. */
    record Json(int status, Map<String, Object> body) {
    }

    private static Json getJson(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Json(r.statusCode(), JSON.readValue(r.body(), new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the real CLI against this node's configuration, as an operator would:
     * {@code ops/bin/restrictd restrict ARGS... --config CONFIG}.
     */
    public CommandResult restrict(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Repository.root().resolve("ops/bin/restrictd").toString(),
                "restrict"));
        command.addAll(List.of(args));
        command.addAll(List.of("--config", config.toString()));
        try {
            Path out = Files.createTempFile(dir, "cli", ".out");
            Path err = Files.createTempFile(dir, "cli", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("RESTRICTD_JAR", jar().toString());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
            pb.environment().putAll(configEnvironment()); // the CLI reads the same file
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 2 minutes");
            }
            return new CommandResult(command, p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code postmap -q KEY socketmap:inet:127.0.0.1:PORT:sender}: Postfix's own client. */
    public CommandResult postmap(String key) {
        return Postfix.postmap(key, senderTable());
    }

    /** {@code postmap -q KEY socketmap:inet:127.0.0.1:PORT:login}. */
    public CommandResult postmapLogin(String key) {
        return Postfix.postmap(key, "socketmap:inet:127.0.0.1:" + socketmapPort + ":login");
    }

    String senderTable() {
        return "socketmap:inet:127.0.0.1:" + socketmapPort + ":sender";
    }

    /** A raw connection to the socketmap port. */
    Wire socketmap() throws IOException {
        return new Wire(socketmapPort);
    }

    /** A raw connection to the policy port. */
    Wire policy() throws IOException {
        return new Wire(policyPort);
    }

    public int socketmapPort() {
        return socketmapPort;
    }

    int policyPort() {
        return policyPort;
    }

    Path store() {
        return store;
    }

    Path config() {
        return config;
    }

    public String name() {
        return name;
    }

    Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /**
     * A private copy of {@code service/target/restrictd.jar}, taken once per test JVM: other builds in
     * the same tree rewrite that file, and a JVM whose jar changes under it fails with
     * NoClassDefFoundError. Every node and CLI run of one test JVM thus runs the same build.
     */
    private static synchronized Path jar() {
        if (jarCopy == null) {
            Path jar = Repository.root().resolve("service/target/restrictd.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run mvn -pl service package first");
            }
            jarCopy = snapshot(jar);
        }
        return jarCopy;
    }

    private static Path snapshot(Path jar) {
        for (int attempt = 0; ; attempt++) {
            try {
                Path copy = Files.createTempFile("restrictd-it-", ".jar");
                copy.toFile().deleteOnExit();
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(copy.toFile())) {
                    if (zip.getEntry("io/restrictd/service/RestrictdApplication.class") == null) {
                        throw new IOException("no RestrictdApplication in " + jar);
                    }
                }
                return copy;
            } catch (IOException e) {
                if (attempt >= 10) { // a build was writing it the whole time
                    throw new UncheckedIOException("cannot take a complete copy of " + jar, e);
                }
                sleep(3000);
            }
        }
    }

    private static String template() {
        try (InputStream in = NodeProcess.class.getResourceAsStream("/it/node.yml.template")) {
            if (in == null) {
                throw new IllegalStateException("it/node.yml.template is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (socketmap " + socketmapPort + ", policy " + policyPort + ", http " + httpPort + ", admin "
                + adminPort + ", store " + store + ")";
    }
}
