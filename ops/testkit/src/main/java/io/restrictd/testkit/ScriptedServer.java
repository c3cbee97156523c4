package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real server run by one of the ops scripts ({@code ops/bin/NAME start DIR ...}, {@code stop DIR}),
 * in a temporary directory of its own, as a JUnit 5 extension: register it on a static field with
 * {@code @RegisterExtension}; it starts before the test class and stops after it. Tests may
 * {@link #stop()} and {@link #start()} it again: a restart keeps the directory, so the same data
 * and, where the script allows, the same port. A JVM shutdown hook stops whatever is still running
 * when the test JVM exits early (Ctrl-C, SIGTERM, a fork timeout).
 *
 * <p>Not thread-safe for concurrent start/stop; the accessors may be called from any thread.
 * Set {@code -Drestrictd.testkit.keep=true} to keep the directories (with the servers' logs).
 */
public abstract class ScriptedServer implements BeforeAllCallback, AfterAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptedServer.class);
    private static final Set<ScriptedServer> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private final String script;
    private volatile Path dir;
    private volatile boolean running;

    /** @param script the name of the ops script under {@code ops/bin}, e.g. {@code slapd-local} */
    protected ScriptedServer(String script) {
        this.script = script;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            stop();
        } finally {
            if (!Boolean.getBoolean("restrictd.testkit.keep")) {
                deleteDir();
            } else if (dir != null) {
                LOG.info("kept {} directory {}", script, dir);
            }
        }
    }

    /** Starts the server (on first use in a new directory); does nothing while it runs. */
    public final synchronized void start() {
        if (running) {
            return;
        }
        checkBinaries();
        if (dir == null) {
            dir = createDir();
        }
        long t0 = System.nanoTime();
        // Registered before the script runs, so a JVM killed mid-start still stops the server.
        installShutdownHook();
        RUNNING.add(this);
        CommandResult result;
        try {
            result = runScript(startArguments(dir), startTimeout());
        } catch (RuntimeException e) {
            // The script may have started the server before it failed: stop whatever runs in dir.
            try {
                runScript(List.of("stop", dir.toString()), Duration.ofMinutes(2));
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            RUNNING.remove(this);
            throw e;
        }
        running = true;
        started(result.value());
        LOG.info("{} started in {} ms: {} (directory {})", script,
                (System.nanoTime() - t0) / 1_000_000, result.value(), dir);
    }

    /** Stops the server gracefully (the script escalates to SIGKILL); does nothing when stopped. */
    public final synchronized void stop() {
        if (running) {
            try {
                runScript(List.of("stop", dir.toString()), Duration.ofMinutes(2));
            } finally {
                running = false;
                RUNNING.remove(this);
            }
        }
    }

    /** Whether the server was started and not stopped since. */
    public final boolean isRunning() {
        return running;
    }

    /** The server's directory: configuration, data and logs. */
    public final Path dir() {
        Path d = dir;
        if (d == null) {
            throw notStarted();
        }
        return d;
    }

    /** SIGKILLs the server, as a crash would; for scripts that have a {@code kill} command. */
    protected final synchronized void killServer() {
        if (running) {
            try {
                runScript(List.of("kill", dir.toString()), Duration.ofMinutes(1));
            } finally {
                running = false;
                RUNNING.remove(this);
            }
        }
    }

    /** The script's arguments after {@code start}: at least the directory. */
    protected abstract List<String> startArguments(Path dir);

    /** Receives what the start command printed (the server's address). */
    protected abstract void started(String address);

    /** Fails, naming the Debian package, when a binary the server needs is missing. */
    protected abstract void checkBinaries();

    /** Extra environment for the script. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    protected Duration startTimeout() {
        return Duration.ofMinutes(2);
    }

    /** Runs the ops script with {@code arguments}, failing with its output when it fails. */
    protected final CommandResult runScript(List<String> arguments, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(Repository.script(script).toString());
        command.addAll(arguments);
        return Commands.check(command, environment(), null, timeout);
    }

    protected final IllegalStateException notStarted() {
        return new IllegalStateException(getClass().getSimpleName() + " is not started: register it with "
                + "@RegisterExtension on a static field, or call start()");
    }

    private Path createDir() {
        try {
            // World-searchable: Postfix daemons run as the postfix user and must reach their queue.
            Path created = Files.createTempDirectory("restrictd-" + script + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            return created.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for " + script, e);
        }
    }

    private void deleteDir() {
        Path d = dir;
        if (d == null || running) {
            return;
        }
        try {
            Files.walkFileTree(d, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d2, IOException e) throws IOException {
                    Files.deleteIfExists(d2);
                    return FileVisitResult.CONTINUE;
                }
            });
            dir = null;
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", d, e.toString());
        }
    }

    private static void installShutdownHook() {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ScriptedServer::stopAll, "restrictd-testkit-stop"));
        }
    }

    /** Runs each stop script without taking the servers' locks: a start may hold one. */
    private static void stopAll() {
        for (ScriptedServer server : List.copyOf(RUNNING)) {
            try {
                server.runScript(List.of("stop", server.dir.toString()), Duration.ofMinutes(1));
            } catch (RuntimeException e) {
                System.err.println("restrictd testkit: could not stop " + server.script + ": " + e.getMessage());
            }
        }
    }
}
