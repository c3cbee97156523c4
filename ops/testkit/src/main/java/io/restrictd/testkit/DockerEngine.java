package io.restrictd.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.testcontainers.DockerClientFactory;

/**
 * Whether the container fixtures can run: a Docker engine that Testcontainers reaches. Asked once per JVM,
 * by the first container fixture to start; every later one gets the same answer at once.
 *
 * <p>Without any sign of an engine (no {@code DOCKER_HOST}, no {@code docker.host} in
 * {@code ~/.testcontainers.properties}, no socket where Docker clients look) Testcontainers is not asked at
 * all, so a machine without Docker gets one line instead of Testcontainers' report of every strategy it
 * tried.
 */
final class DockerEngine {
    /** What to do instead, at the end of every message. */
    static final String HINT = "run with -D" + FixtureSet.PROPERTY + "=" + FixtureSet.NATIVE.value();

    private static Optional<String> problem;

    private DockerEngine() {
    }

    /**
     * Returns when a Docker engine answers.
     *
     * @throws FixtureUnavailableException with one line that says what was looked for, when none does
     */
    static void require() {
        Optional<String> p;
        synchronized (DockerEngine.class) {
            if (problem == null) {
                Path home = Path.of(System.getProperty("user.home"));
                problem = problem(System.getenv(), home, testcontainersDockerHost(home), Files::exists,
                        () -> DockerClientFactory.instance().isDockerAvailable());
            }
            p = problem;
        }
        if (p.isPresent()) {
            throw new FixtureUnavailableException(p.get());
        }
    }

    /**
     * What stops the container fixtures, if anything.
     *
     * @param env the environment ({@code DOCKER_HOST}, {@code XDG_RUNTIME_DIR})
     * @param home the user's home directory
     * @param testcontainersDockerHost {@code docker.host} from {@code ~/.testcontainers.properties}, or null
     * @param exists whether a path exists (the sockets)
     * @param engineAnswers asks Testcontainers; called only when there is an engine to ask
     * @return empty when an engine answers, else the message
     */
    static Optional<String> problem(Map<String, String> env, Path home, String testcontainersDockerHost,
                                    Predicate<Path> exists, BooleanSupplier engineAnswers) {
        String dockerHost = env.get("DOCKER_HOST");
        String where;
        if (dockerHost != null && !dockerHost.isBlank()) {
            where = "DOCKER_HOST=" + dockerHost;
        } else if (testcontainersDockerHost != null && !testcontainersDockerHost.isBlank()) {
            where = "docker.host=" + testcontainersDockerHost + " in " + home.resolve(".testcontainers.properties");
        } else {
            List<Path> sockets = sockets(env, home);
            Optional<Path> socket = sockets.stream().filter(exists).findFirst();
            if (socket.isEmpty()) {
                return Optional.of("no Docker engine found (DOCKER_HOST is not set and there is no Docker socket at "
                        + sockets.stream().map(Path::toString).collect(Collectors.joining(", ")) + "); " + HINT);
            }
            where = "the socket " + socket.get();
        }
        if (engineAnswers.getAsBoolean()) {
            return Optional.empty();
        }
        return Optional.of("no Docker engine found (" + where + " does not answer Testcontainers; its log above says "
                + "what it tried); " + HINT);
    }

    /** Where Docker clients, Docker Desktop, Rancher Desktop and rootless Docker put the engine's socket. */
    static List<Path> sockets(Map<String, String> env, Path home) {
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            sockets.add(Path.of(runtime, "docker.sock"));
        }
        sockets.add(home.resolve(".docker/run/docker.sock"));
        sockets.add(home.resolve(".docker/desktop/docker.sock"));
        sockets.add(home.resolve(".rd/docker.sock"));
        return sockets;
    }

    private static String testcontainersDockerHost(Path home) {
        Path file = home.resolve(".testcontainers.properties");
        if (!Files.isReadable(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            return null; // unreadable: Testcontainers will not use it either
        }
        return properties.getProperty("docker.host");
    }
}
