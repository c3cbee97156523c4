package io.restrictd.service.protocol.net;

import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the request deadline and the idle timeout of every connection of one server by closing
 * offending channels: blocking channels ignore SO_TIMEOUT, and closing is the one thing that wakes a
 * thread blocked in read or write. One thread for all connections, waking a few times per timeout.
 */
final class Reaper implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    private static final long MIN_TICK_MS = 10;
    private static final long MAX_TICK_MS = 500;

    private final Set<Connection> connections;
    private final long idleNanos;
    private final long requestNanos;
    private final long tickMillis;
    private final ProtocolMetrics metrics;
    private final BooleanSupplier running;

    Reaper(Set<Connection> connections, ServerLimits limits, ProtocolMetrics metrics, BooleanSupplier running) {
        this.connections = connections;
        this.idleNanos = limits.idleTimeout().toNanos();
        this.requestNanos = limits.requestTimeout().toNanos();
        long shortest = Math.min(limits.idleTimeout().toMillis(), limits.requestTimeout().toMillis());
        this.tickMillis = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, shortest / 4));
        this.metrics = metrics;
        this.running = running;
    }

    @Override
    public void run() {
        while (running.getAsBoolean()) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return; // stop()
            }
            sweep(System.nanoTime());
        }
    }

    void sweep(long now) {
        for (Connection connection : connections) {
            long since = connection.requestSince;
            if (since != Connection.NONE) {
                if (now - since > requestNanos) {
                    LOG.debug("{}: request not completed in time, closing", connection.name());
                    metrics.timedOut.inc();
                    connection.close();
                }
            } else if (now - connection.lastActivity > idleNanos) {
                LOG.debug("{}: idle, closing", connection.name());
                metrics.idleClosed.inc();
                connection.close();
            }
        }
    }
}
