package io.restrictd.testkit;

import java.util.List;

/**
 * What a finished command said: its exit code and everything it wrote.
 *
 * @param command the command line, for messages
 * @param exitCode the process's exit code
 * @param stdout standard output, never null
 * @param stderr standard error, never null (empty when it was merged into {@code stdout})
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
    }

    /** True when the command exited 0 (for {@code postmap -q}: the key was found). */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Standard output without the trailing line break, e.g. the value {@code postmap -q} found. */
    public String value() {
        return stdout.strip();
    }

    /** Standard output split into lines, without empty trailing lines. */
    public List<String> lines() {
        return stdout.isBlank() ? List.of() : List.of(stdout.strip().split("\\R"));
    }

    @Override
    public String toString() {
        return String.join(" ", command) + " -> exit " + exitCode
                + (stdout.isEmpty() ? "" : "\n--- stdout\n" + stdout)
                + (stderr.isEmpty() ? "" : "\n--- stderr\n" + stderr);
    }
}
