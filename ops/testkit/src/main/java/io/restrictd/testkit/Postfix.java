package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Postfix's own table client, {@code postmap -q}, for any table type Postfix knows
 * ({@code socketmap:inet:127.0.0.1:PORT:NAME}, {@code ldap:/path/file.cf}, {@code inline:{...}}).
 *
 * <p>postmap runs with a private, nearly empty configuration directory, so results do not depend
 * on the machine's {@code /etc/postfix/main.cf} (a fresh Debian install may have none).
 * Thread-safe.
 */
public final class Postfix {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static volatile Path configDir;

    private Postfix() {
    }

    /**
     * Runs {@code postmap -q KEY TABLE}. Exit 0 with the value on stdout when found, 1 when not
     * found; a broken table also exits 1 but says why on stderr (postmap: fatal ...).
     */
    public static CommandResult postmap(String key, String table) {
        Commands.require("postmap", "postfix");
        return Commands.run(List.of("postmap", "-c", configDir().toString(), "-q", key, table),
                Map.of(), null, false, TIMEOUT);
    }

    /**
     * Runs {@code postmap -q - TABLE} with one key per line on stdin: stdout has a
     * {@code key<TAB>value} line for each key found, in order.
     */
    public static CommandResult postmapBatch(List<String> keys, String table) {
        Commands.require("postmap", "postfix");
        String input = keys.isEmpty() ? "" : String.join("\n", keys) + "\n";
        return Commands.run(List.of("postmap", "-c", configDir().toString(), "-q", "-", table),
                Map.of(), input, false, TIMEOUT);
    }

    private static Path configDir() {
        Path dir = configDir;
        if (dir == null) {
            synchronized (Postfix.class) {
                dir = configDir;
                if (dir == null) {
                    dir = createConfigDir();
                    configDir = dir;
                }
            }
        }
        return dir;
    }

    private static Path createConfigDir() {
        try {
            Path dir = Files.createTempDirectory("restrictd-postmap-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            // meta_directory holds dynamicmaps.cf, which loads the ldap: and lmdb: table types.
            Files.writeString(dir.resolve("main.cf"), "compatibility_level = 3.6\nmeta_directory = /etc/postfix\n");
            dir.toFile().deleteOnExit();
            dir.resolve("main.cf").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a configuration directory for postmap", e);
        }
    }
}
