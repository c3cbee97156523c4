package io.restrictd.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs external commands: the ops scripts and the real client tools. */
final class Commands {

    private static final List<String> EXTRA_PATH = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    private Commands() {
    }

    /**
     * Fails unless {@code binary} is on the PATH (or in the sbin directories, which a non-login
     * PATH may lack). Missing servers fail a test rather than skip it: a skipped integration test
     * hides a CI machine that lacks a package.
     */
    static void require(String binary, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + String.join(File.pathSeparator, EXTRA_PATH))
                .split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, binary))) {
                return;
            }
        }
        throw new IllegalStateException("'" + binary + "' is not installed: install the Debian package '"
                + debianPackage + "' (apt-get install -y " + debianPackage + "; .ci/run does)");
    }

    /**
     * Runs {@code command} and waits for it. Output goes through files, not pipes, so a server
     * that a script leaves running can never hold our read open.
     *
     * @param stdin text for standard input, or null for none
     * @param mergeStderr whether standard error is interleaved into standard output
     * @throws IllegalStateException when the command does not finish within {@code timeout}
     */
    static CommandResult run(List<String> command, Map<String, String> env, String stdin,
                             boolean mergeStderr, Duration timeout) {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("restrictd-cmd", ".out");
            err = Files.createTempFile("restrictd-cmd", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile());
            if (mergeStderr) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(err.toFile());
            }
            if (stdin == null) {
                builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            } else {
                in = Files.createTempFile("restrictd-cmd", ".in");
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                builder.redirectInput(in.toFile());
            }
            Map<String, String> environment = builder.environment();
            environment.put("PATH", environment.getOrDefault("PATH", "/usr/bin:/bin")
                    + File.pathSeparator + String.join(File.pathSeparator, EXTRA_PATH));
            environment.putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + timeout + "\n--- output so far\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new CommandResult(command, process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    mergeStderr ? "" : Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    /** Like {@link #run} but fails on a non-zero exit, with everything the command said. */
    static CommandResult check(List<String> command, Map<String, String> env, String stdin, Duration timeout) {
        CommandResult result = run(command, env, stdin, false, timeout);
        if (!result.succeeded()) {
            throw new IllegalStateException("command failed: " + result);
        }
        return result;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
