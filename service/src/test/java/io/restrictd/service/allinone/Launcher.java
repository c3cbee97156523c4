package io.restrictd.service.allinone;

import io.restrictd.testkit.CommandResult;
import io.restrictd.testkit.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code ops/bin/restrictd ...} as an operator runs it, with {@code RESTRICTD_JAR} the built
 * {@code service/target/restrictd.jar}: short commands run to completion ({@link #run}), long-running ones
 * ({@link #start}) write stdout and stderr to a log file and are killed when the test JVM exits.
 */
final class Launcher {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "restrictd-it-launcher-kill"));
    }

    private final Process process;
    private final Path log;

    private Launcher(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    private static ProcessBuilder builder(Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Repository.root().resolve("ops/bin/restrictd").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(Repository.root().toFile());
        pb.environment().put("RESTRICTD_JAR", Repository.root().resolve("service/target/restrictd.jar").toString());
        pb.environment().putIfAbsent("JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs to completion (at most {@code timeout}) and returns exit code, stdout and stderr. */
    static CommandResult run(Map<String, String> env, Duration timeout, String... args) {
        try {
            Path out = Files.createTempFile("restrictd-launcher", ".out");
            Path err = Files.createTempFile("restrictd-launcher", ".err");
            Process p = builder(env, List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            LIVE.add(p);
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            LIVE.remove(p);
            CommandResult r = new CommandResult(List.of(args), done ? p.exitValue() : -1,
                    Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts in the background; output (both streams) goes to {@code log}. */
    static Launcher start(Map<String, String> env, Path log, List<String> args) {
        try {
            Process p = builder(env, args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            LIVE.add(p);
            return new Launcher(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM (and kills what is left of the JVM), and returns how long the process took to exit. */
    Duration terminate(Duration wait) throws InterruptedException {
        long t0 = System.nanoTime();
        ProcessHandle java = process.toHandle().descendants().findFirst().orElse(process.toHandle());
        java.destroy();
        boolean exited = java.onExit().toCompletableFuture().completeOnTimeout(null, wait.toMillis(),
                TimeUnit.MILLISECONDS).join() != null || !java.isAlive();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (!exited) {
            java.destroyForcibly();
        }
        process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        process.destroyForcibly();
        LIVE.remove(process);
        return exited ? took : null;
    }

    void kill() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        LIVE.remove(process);
    }
}
