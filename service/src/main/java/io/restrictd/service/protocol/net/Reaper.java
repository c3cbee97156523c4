package io.restrictd.service.protocol.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the request deadline and the idle timeout of the connections of one event loop by
 * closing offenders. The loop calls {@link #sweep} every {@link #tickMillis()}, so a deadline is
 * kept to within a tick; a sweep is one comparison per connection, some microseconds per thousand.
 * Not thread-safe: used by its loop's thread only.
 */
final class Reaper {
    private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
    private static final long MIN_TICK_MS = 10;
    private static final long MAX_TICK_MS = 500;

    private final long idleNanos;
    private final long requestNanos;
    private final long tickMillis;
    private final ProtocolMetrics metrics;
    private final List<Connection> victims = new ArrayList<>();

    Reaper(ServerLimits limits, ProtocolMetrics metrics) {
        this.idleNanos = limits.idleTimeout().toNanos();
        this.requestNanos = limits.requestTimeout().toNanos();
        long shortest = Math.min(limits.idleTimeout().toMillis(), limits.requestTimeout().toMillis());
        this.tickMillis = Math.max(MIN_TICK_MS, Math.min(MAX_TICK_MS, shortest / 4));
        this.metrics = metrics;
    }

    /** How often {@link #sweep} should run: a quarter of the shortest limit, within 10 to 500 ms. */
    long tickMillis() {
        return tickMillis;
    }

    /** Closes every connection past its request deadline or idle timeout at {@code now} (System.nanoTime()). */
    void sweep(Collection<Connection> connections, long now) {
        for (Connection connection : connections) {
            long since = connection.requestSince;
            if (since != Connection.NONE) {
                if (now - since > requestNanos) {
                    LOG.debug("{}: request not completed in time, closing", connection.name());
                    metrics.timedOut.inc();
                    victims.add(connection);
                }
            } else if (now - connection.lastActivity > idleNanos) {
                LOG.debug("{}: idle, closing", connection.name());
                metrics.idleClosed.inc();
                victims.add(connection);
            }
        }
        victims.forEach(Connection::close); // closing removes from the collection: not while iterating it
        victims.clear();
    }
}
