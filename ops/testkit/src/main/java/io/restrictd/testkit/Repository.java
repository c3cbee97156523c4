package io.restrictd.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the restrictd repository, whose {@code ops/bin} scripts start the real servers. */
public final class Repository {

    /** System property that names the repository root; failsafe sets it. */
    public static final String HOME_PROPERTY = "restrictd.home";

    private Repository() {
    }

    /**
     * The repository root: the {@value #HOME_PROPERTY} system property when set, else the first
     * directory at or above the working directory that contains {@code ops/bin}.
     *
     * @throws IllegalStateException when neither finds a directory with {@code ops/bin}
     */
    public static Path root() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            Path root = Path.of(home).toAbsolutePath().normalize();
            if (!Files.isDirectory(root.resolve("ops/bin"))) {
                throw new IllegalStateException("-D" + HOME_PROPERTY + "=" + home + " has no ops/bin directory");
            }
            return root;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("ops/bin"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the restrictd repository (a directory with ops/bin) above "
                + Path.of("").toAbsolutePath() + "; set -D" + HOME_PROPERTY);
    }

    /** The ops script {@code name} under {@code ops/bin}. */
    static Path script(String name) {
        Path script = root().resolve("ops/bin").resolve(name);
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("missing script " + script);
        }
        return script;
    }
}
