package io.restrictd.service.protocol.net;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.function.IntSupplier;

/**
 * One protocol's metrics, all named {@code restrictd.<protocol>.*}:
 * <ul>
 *   <li>{@code lookup} (timer): latency of each store lookup; one policy request may make two</li>
 *   <li>{@code restricted}, {@code not-restricted}, {@code unavailable} (meters): lookup answers</li>
 *   <li>{@code bad-requests} (meter): requests answered with an error (malformed, unknown map...)</li>
 *   <li>{@code connections.open} (gauge), {@code connections.rejected} (counter: over the cap),
 *       {@code connections.timed-out} (counter: request deadline), {@code connections.idle-closed}
 *       (counter: idle timeout)</li>
 * </ul>
 * Thread-safe.
 */
public final class ProtocolMetrics {
    private final MetricRegistry registry;
    private final String prefix;
    final Timer lookup;
    final Meter restricted;
    final Meter notRestricted;
    final Meter unavailable;
    private final Meter badRequests;
    final Counter rejected;
    final Counter timedOut;
    final Counter idleClosed;

    public ProtocolMetrics(MetricRegistry registry, String protocol) {
        this.registry = registry;
        this.prefix = MetricRegistry.name("restrictd", protocol);
        // Every lookup of every connection updates this timer: the node's registry (SummingMetricRegistry)
        // gives it a lock-free reservoir, so 32+ connections do not queue on the default reservoir's lock.
        this.lookup = registry.timer(name("lookup"));
        this.restricted = registry.meter(name("restricted"));
        this.notRestricted = registry.meter(name("not-restricted"));
        this.unavailable = registry.meter(name("unavailable"));
        this.badRequests = registry.meter(name("bad-requests"));
        this.rejected = registry.counter(name("connections.rejected"));
        this.timedOut = registry.counter(name("connections.timed-out"));
        this.idleClosed = registry.counter(name("connections.idle-closed"));
    }

    /** The full name of one of this protocol's metrics. */
    public String name(String metric) {
        return prefix + "." + metric;
    }

    /** Counts a request answered with a protocol error. */
    public void badRequest() {
        badRequests.mark();
    }

    /** Registers the open-connections gauge, replacing one left by an earlier server of this protocol. */
    void registerOpenConnections(IntSupplier open) {
        String name = name("connections.open");
        registry.remove(name);
        registry.register(name, (Gauge<Integer>) open::getAsInt);
    }

    void removeOpenConnections() {
        registry.remove(name("connections.open"));
    }
}
