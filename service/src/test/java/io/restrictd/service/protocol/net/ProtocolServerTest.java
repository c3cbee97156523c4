package io.restrictd.service.protocol.net;

import static io.restrictd.service.protocol.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
        return server(2);
    }

    private ProtocolServer server(int loops) {
        return new ProtocolServer("echo", List.of(Endpoint.Tcp.parse("echo.listen", "127.0.0.1:0")),
                ServerLimits.DEFAULTS, EchoSession::new, new ProtocolMetrics(registry, "echo"), loops);
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
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
    void shouldServeManyConnectionsOnAFixedNumberOfThreads() throws Exception {
        ProtocolServer server = server(2);
        server.start();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.setSoTimeout(20_000);
                sockets.add(socket);
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(echo(sockets.get(i), "hi " + i)).isEqualTo("hi " + i);
            }
            assertThat(server.openConnections()).isEqualTo(300);
            assertThat(liveThreads("echo-")).isEqualTo(3); // two event loops and one acceptor
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            server.stop();
        }
        assertThat(liveThreads("echo-")).isZero();
    }

    @Test
    void shouldDeliverEveryByteToAClientThatReadsLate() throws Exception {
        ProtocolServer server = server(1);
        server.start();
        byte[] sent = new byte[4 << 20];
        new Random(7).nextBytes(sent);
        for (int i = 0; i < sent.length; i++) {
            sent[i] = sent[i] == 'X' ? (byte) 'x' : sent[i];
        }
        try (Socket socket = new Socket("127.0.0.1", server.port()); Socket other = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            other.setSoTimeout(20_000);
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(sent);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            Thread.sleep(300); // the replies fill both socket buffers: the server must hold back, not drop
            assertThat(echo(other, "meanwhile")).isEqualTo("meanwhile");
            byte[] received = socket.getInputStream().readNBytes(sent.length);
            writer.join(20_000);
            assertThat(received).isEqualTo(sent);
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
