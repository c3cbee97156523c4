package io.restrictd.service.protocol.net;

import static io.restrictd.service.protocol.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The network layer with a trivial protocol: each byte is echoed; 'X' makes the session throw. */
@Timeout(60)
class ProtocolServerTest {
    private final MetricRegistry registry = new MetricRegistry();

    private static final class EchoSession implements Session {
        @Override
        public boolean receive(ByteBuffer input, ByteArrayOutputStream out) {
            while (input.hasRemaining()) {
                byte b = input.get();
                if (b == 'X') {
                    throw new IllegalStateException("a bug in a protocol handler");
                }
                out.write(b);
            }
            return true;
        }

        @Override
        public boolean midRequest() {
            return false;
        }
    }

    private ProtocolServer server() {
        return new ProtocolServer("echo", List.of(Endpoint.Tcp.parse("echo.listen", "127.0.0.1:0")),
                ServerLimits.DEFAULTS, EchoSession::new, new ProtocolMetrics(registry, "echo"));
    }

    private static String echo(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        return new String(socket.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldCloseOnlyTheConnectionWhoseHandlerThrows() throws Exception {
        ProtocolServer server = server();
        server.start();
        try (Socket good = new Socket("127.0.0.1", server.port()); Socket bad = new Socket("127.0.0.1", server.port())) {
            good.setSoTimeout(20_000);
            bad.setSoTimeout(20_000);
            assertThat(echo(good, "hello")).isEqualTo("hello");
            bad.getOutputStream().write('X');
            try {
                assertThat(bad.getInputStream().read()).isEqualTo(-1);
            } catch (SocketException reset) {
                // also fine: the connection is gone
            }
            assertThat(echo(good, "still here")).isEqualTo("still here");
            eventually(() -> assertThat(server.openConnections()).isEqualTo(1));
        } finally {
            server.stop();
        }
    }

    @Test
    void shouldRefuseDoubleStartAndIgnoreStopWhenStopped() throws Exception {
        ProtocolServer server = server();
        server.stop();
        server.start();
        try {
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
            assertThat(registry.getGauges()).containsKey("restrictd.echo.connections.open");
        } finally {
            server.stop();
        }
        assertThat(registry.getGauges()).doesNotContainKey("restrictd.echo.connections.open");
        server.stop();
    }

    @Test
    void shouldRestartAfterStop() throws Exception {
        ProtocolServer server = server();
        server.start();
        server.stop();
        server.start();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            assertThat(echo(socket, "again")).isEqualTo("again");
        } finally {
            server.stop();
        }
    }
}
