package io.restrictd.service.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reaper's decisions at chosen instants: no sleeping, no real clients. */
class ReaperTest {
    private static final long SECOND = 1_000_000_000L;

    private final MetricRegistry registry = new MetricRegistry();
    private final ProtocolMetrics metrics = new ProtocolMetrics(registry, "test");
    private final Set<Connection> connections = new HashSet<>();
    private final Reaper reaper = new Reaper(new ServerLimits(10, Duration.ofSeconds(60), Duration.ofSeconds(10)),
            metrics);

    private SocketChannel connection(long lastActivity, long requestSince) throws Exception {
        SocketChannel channel = SocketChannel.open();
        Connection connection = new Connection(channel, "c", connections::remove);
        connection.lastActivity = lastActivity;
        connection.requestSince = requestSince;
        connections.add(connection);
        return channel;
    }

    @Test
    void shouldCloseOnlyConnectionsPastTheirDeadline() throws Exception {
        long now = 1_000 * SECOND;
        SocketChannel fresh = connection(now - SECOND, Connection.NONE);
        SocketChannel idle = connection(now - 61 * SECOND, Connection.NONE);
        SocketChannel busy = connection(now - SECOND, now - 5 * SECOND);
        SocketChannel stalled = connection(now - SECOND, now - 11 * SECOND);
        SocketChannel longIdleButMidRequest = connection(now - 61 * SECOND, now - 2 * SECOND);

        reaper.sweep(connections, now);

        assertThat(fresh.isOpen()).isTrue();
        assertThat(busy.isOpen()).isTrue();
        assertThat(longIdleButMidRequest.isOpen()).isTrue();
        assertThat(idle.isOpen()).isFalse();
        assertThat(stalled.isOpen()).isFalse();
        assertThat(registry.counter("restrictd.test.connections.idle-closed").getCount()).isEqualTo(1);
        assertThat(registry.counter("restrictd.test.connections.timed-out").getCount()).isEqualTo(1);
        assertThat(connections).hasSize(3);
    }

    @Test
    void shouldTickAQuarterOfTheShortestLimitWithinBounds() {
        assertThat(reaper.tickMillis()).isEqualTo(500);
        assertThat(new Reaper(new ServerLimits(1, Duration.ofMillis(300), Duration.ofSeconds(10)), metrics).tickMillis())
                .isEqualTo(75);
        assertThat(new Reaper(new ServerLimits(1, Duration.ofMillis(1), Duration.ofMillis(1)), metrics).tickMillis())
                .isEqualTo(10);
    }
}
