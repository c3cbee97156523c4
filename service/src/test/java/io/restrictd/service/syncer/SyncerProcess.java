package io.restrictd.service.syncer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restrictd.testkit.FreePort;
import io.restrictd.testkit.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real syncer as a child process, started as an operator would: {@code ops/bin/restrictd syncer
 * ops/config/syncer.yml} (the shipped file itself, or another shipped one: {@link #configFile}), with {@code RESTRICTD_JAR} a private copy of
 * {@code service/target/restrictd.jar}. The broker, the LDAP URL, the password file, the id and the admin
 * port come through the {@code ${ENV}} substitutions the file declares; the topics through {@code -Ddw.}
 * overrides, so that each test class has its own. Public for the end-to-end tests in other packages. Output goes to {@link #log()}. A JVM shutdown hook kills
 * whatever is left.
 */
public final class SyncerProcess implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path jarCopy;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "restrictd-it-syncer-kill"));
    }

    private final String name;
    private final Path dir;
    private final Path log;
    private final Map<String, String> env;
    private final List<String> javaOpts;
    private Path configFile = config();
    private final int adminPort = FreePort.find();
    private volatile Process process;

    /**
     * @param prefix topic prefix: PREFIX.restrictions, PREFIX.audit, PREFIX.state, PREFIX.leader
     */
    public SyncerProcess(String name, Path dir, String syncerId, String bootstrap, String ldapUrl, String password,
            String prefix) {
        this.name = name;
        this.dir = dir;
        this.log = dir.resolve(name + ".log");
        try {
            Files.createDirectories(dir);
            Path pw = Files.writeString(dir.resolve(name + ".password"), password + "\n");
            this.env = new HashMap<>(Map.of("RESTRICTD_KAFKA", bootstrap, "RESTRICTD_LDAP_URL", ldapUrl,
                    "RESTRICTD_LDAP_PASSWORD_FILE", pw.toString(), "RESTRICTD_SYNCER_ID", syncerId,
                    "RESTRICTD_SYNCER_ADMIN", "127.0.0.1:" + adminPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.javaOpts = new ArrayList<>(List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Ddw.kafka.topic=" + prefix + ".restrictions", "-Ddw.kafka.auditTopic=" + prefix + ".audit",
                "-Ddw.syncer.stateTopic=" + prefix + ".state", "-Ddw.syncer.leaderTopic=" + prefix + ".leader",
                "-Ddw.kafka.requestTimeout=10s", "-Ddw.ldap.retryMin=200ms", "-Ddw.ldap.retryMax=2s",
                "-Ddw.logging.loggers.io\\.restrictd=INFO"));
    }

    public static Path config() {
        return Repository.root().resolve("ops/config/syncer.yml");
    }

    /** Another {@code ${ENV}} value for the shipped config (e.g. {@code RESTRICTD_LDAP_TRUSTSTORE}); before start. */
    public SyncerProcess environment(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs {@code file} (e.g. ops/config/syncer-ad.yml) instead of syncer.yml; before start. */
    public SyncerProcess configFile(Path file) {
        configFile = file;
        return this;
    }

    /**
     * Another JVM option (no spaces: JAVA_OPTS is split on them), e.g. a Dropwizard override
     * {@code -Ddw.kafka.properties.security\\.protocol=SASL_SSL}; before start.
     */
    public SyncerProcess javaOption(String option) {
        javaOpts.add(option);
        return this;
    }

    public SyncerProcess start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " already runs");
        }
        ProcessBuilder pb = new ProcessBuilder("bash", Repository.root().resolve("ops/bin/restrictd").toString(),
                "syncer", configFile.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("RESTRICTD_JAR", jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", String.join(" ", javaOpts));
        pb.environment().putAll(env);
        try {
            Files.writeString(log, "=== " + name + " starting\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        LIVE.add(process);
        return this;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL, as a crash would; checks that it died of it (exit status 137). */
    public void kill9() throws InterruptedException {
        Process p = process;
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL");
        }
        LIVE.remove(p);
        if (p.exitValue() != 137) {
            throw new AssertionError(name + " exited with " + p.exitValue() + ", not 137\n" + logText());
        }
    }

    /** SIGSTOP or SIGCONT (a leader frozen longer than the failover time is a zombie when it resumes). */
    public void signal(String signal) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits for the process to end by itself (a fatal error); its exit code. */
    public int awaitExit(Duration within) throws InterruptedException {
        Process p = process;
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + within + "; it should have stopped\n" + logText());
        }
        LIVE.remove(p);
        return p.exitValue();
    }

    /** SIGTERM and wait; returns the exit code. */
    public int stop() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return -1;
        }
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        LIVE.remove(p);
        return p.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (p != null) {
            LIVE.remove(p);
        }
    }

    /** The admin endpoint's health: HTTP status and document; status 0 if it does not answer. */
    public Health health() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort
                    + "/healthcheck")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Health(r.statusCode(), JSON.readValue(r.body(), new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            return new Health(0, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code GET /metrics}. */
    public String metrics() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Health(int status, Map<String, Object> body) {
        public String role() {
            return String.valueOf(body.get("role"));
        }

        public String phase() {
            return String.valueOf(body.get("phase"));
        }
    }

    /** The log, headed with this syncer's name: context for a failed eventual assertion. */
    public String logContext() {
        return "--- log of " + name() + " ---\n" + logText();
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(cannot read log: " + e + ")";
        }
    }

    public String name() {
        return name;
    }

    /** Runs {@code restrictd.jar syncer --check FILE} with this syncer's environment; exit code and output. */
    public static Check check(Path file, Map<String, String> env) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-jar", jar().toString(), "syncer", "--check", file.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("syncer --check did not end");
        }
        return new Check(p.exitValue(), out);
    }

    public record Check(int exit, String output) {
    }

    /** A private copy of the service jar, once per test JVM (other builds may rewrite the original). */
    private static synchronized Path jar() {
        if (jarCopy == null) {
            Path jar = Repository.root().resolve("service/target/restrictd.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: run mvn -pl service package first");
            }
            try {
                Path copy = Files.createTempFile("restrictd-syncer-it-", ".jar");
                copy.toFile().deleteOnExit();
                Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
                jarCopy = copy;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jarCopy;
    }
}
