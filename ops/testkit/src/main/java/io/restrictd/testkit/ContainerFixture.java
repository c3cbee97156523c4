package io.restrictd.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A server in a Docker container for one test class (-Drestrictd.fixtures=containers): created and started
 * before the class, removed after it (and by Testcontainers' reaper when the JVM dies first). Each start is a
 * new container with new data and a new port, so tests that restart a server use the native fixtures.
 * Not thread-safe for concurrent start/stop.
 */
abstract class ContainerFixture implements BeforeAllCallback, AfterAllCallback {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerFixture.class);

    private volatile GenericContainer<?> container;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Checks for a Docker engine, then creates and starts the container, unless it runs. */
    final synchronized void start() {
        if (container != null) {
            return;
        }
        DockerEngine.require();
        long t0 = System.nanoTime();
        GenericContainer<?> c = create();
        c.start();
        container = c;
        started(c);
        LOG.info("{} started in {} ms: container {}", getClass().getSimpleName(),
                (System.nanoTime() - t0) / 1_000_000, c.getContainerId());
    }

    /** Stops and removes the container. */
    final synchronized void stop() {
        GenericContainer<?> c = container;
        if (c != null) {
            container = null;
            c.stop();
        }
    }

    /** A new, unstarted container. */
    protected abstract GenericContainer<?> create();

    /** Called once the container runs and its ports are mapped. */
    protected void started(GenericContainer<?> c) {
    }

    /** The running container. */
    protected final GenericContainer<?> container() {
        GenericContainer<?> c = container;
        if (c == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not started: register it with "
                    + "@RegisterExtension on a static field");
        }
        return c;
    }
}
