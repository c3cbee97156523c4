package io.restrictd.service.protocol.socketmap;

import static io.restrictd.service.protocol.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.restrictd.service.protocol.FakeLookup;
import io.restrictd.service.protocol.net.ListenException;
import io.restrictd.service.protocol.net.ProtocolServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real server on an ephemeral loopback port with a fake lookup. No assertion on timing. */
@Timeout(60)
class SocketmapServerTest {
    private static final String REJECTED = "OK " + FakeLookup.REJECT_ACTION;

    private final MetricRegistry metrics = new MetricRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private ProtocolServer server;

    private ProtocolServer start(Consumer<SocketmapFactory> configure) throws Exception {
        SocketmapFactory factory = new SocketmapFactory();
        factory.setListen("127.0.0.1:0");
        configure.accept(factory);
        server = factory.build(FakeLookup.standard(), metrics);
        server.start();
        return server;
    }

    private SocketmapClient client() throws IOException {
        SocketmapClient client = new SocketmapClient(server.port());
        toClose.add(client);
        return client;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldAnswerManyRequestsOnOneConnection() throws Exception {
        start(f -> { });
        SocketmapClient client = client();
        for (int i = 0; i < 200; i++) {
            assertThat(client.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
            assertThat(client.ask("sender other" + i + "@example.org")).isEqualTo("NOTFOUND ");
            assertThat(client.ask("login spammer")).isEqualTo("OK 554 5.7.1 Login suspended");
        }
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrder() throws Exception {
        start(f -> { });
        SocketmapClient client = client();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            batch.append(new String(NetstringEncoder.encode(i % 2 == 0 ? "sender testuser2@example.org" : "sender x@y"),
                    StandardCharsets.UTF_8));
        }
        client.send(batch.toString());
        for (int i = 0; i < 500; i++) {
            assertThat(client.reply()).isEqualTo(i % 2 == 0 ? REJECTED : "NOTFOUND ");
        }
    }

    @Test
    void shouldKeepConnectionAfterWellFramedBadRequest() throws Exception {
        start(f -> { });
        SocketmapClient client = client();
        assertThat(client.ask("nosuchmap key")).isEqualTo("PERM unknown map 'nosuchmap'");
        client.send(new byte[] {'8', ':', 's', 'e', 'n', 'd', 'e', 'r', ' ', (byte) 0xff, ','});
        assertThat(client.reply()).isEqualTo("PERM request is not valid UTF-8");
        assertThat(client.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
        assertThat(metrics.meter("restrictd.socketmap.bad-requests").getCount()).isEqualTo(2);
    }

    @Test
    void shouldAnswerPermAndCloseOnGarbageWhileOthersCarryOn() throws Exception {
        start(f -> { });
        SocketmapClient good = client();
        assertThat(good.ask("sender testuser2@example.org")).isEqualTo(REJECTED);

        SocketmapClient garbage = client();
        garbage.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(garbage.reply()).isEqualTo("PERM netstring length is not a decimal number (byte 0x47)");
        assertThat(garbage.closedByServer()).isTrue();

        SocketmapClient noComma = client();
        noComma.send("3:abcX");
        assertThat(noComma.reply()).isEqualTo("PERM netstring payload not followed by ','");
        assertThat(noComma.closedByServer()).isTrue();

        assertThat(good.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
    }

    @Test
    void shouldRefuseGiantLengthPrefixWithoutReadingThePayload() throws Exception {
        start(f -> { });
        SocketmapClient good = client();
        SocketmapClient giant = client();
        giant.send("99999999999999:sender ");
        assertThat(giant.reply()).isEqualTo("PERM netstring longer than 4096 bytes");
        assertThat(giant.closedByServer()).isTrue();
        assertThat(good.ask("login spammer")).isEqualTo("OK 554 5.7.1 Login suspended");
    }

    @Test
    void shouldCloseStalledHalfRequestAfterRequestTimeout() throws Exception {
        start(f -> f.setRequestTimeout(Duration.milliseconds(300)));
        SocketmapClient good = client();
        SocketmapClient stalled = client();
        stalled.send("40:sender slow"); // and never the rest
        assertThat(good.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
        assertThat(stalled.closedByServer()).isTrue();
        assertThat(metrics.counter("restrictd.socketmap.connections.timed-out").getCount()).isEqualTo(1);
        assertThat(good.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
    }

    @Test
    void shouldCloseSlowlorisEvenIfItKeepsSendingBytes() throws Exception {
        start(f -> f.setRequestTimeout(Duration.milliseconds(300)));
        SocketmapClient slow = client();
        slow.send("4000:");
        boolean closed = false;
        for (int i = 0; i < 400 && !closed; i++) { // one byte every 50 ms: 20 s at most
            try {
                slow.send("x");
                Thread.sleep(50);
            } catch (IOException e) {
                closed = true;
            }
        }
        assertThat(closed || slow.closedByServer()).isTrue();
        assertThat(metrics.counter("restrictd.socketmap.connections.timed-out").getCount()).isEqualTo(1);
    }

    @Test
    void shouldCloseSilentConnectionAfterIdleTimeout() throws Exception {
        start(f -> f.setIdleTimeout(Duration.milliseconds(300)));
        SocketmapClient silent = client(); // connects and never writes
        SocketmapClient answered = client();
        assertThat(answered.ask("sender x@y")).isEqualTo("NOTFOUND ");
        assertThat(silent.closedByServer()).isTrue();
        assertThat(answered.closedByServer()).isTrue();
        assertThat(metrics.counter("restrictd.socketmap.connections.idle-closed").getCount()).isEqualTo(2);
        eventually(() -> assertThat(server.openConnections()).isZero());
    }

    @Test
    void shouldCloseClientThatNeverReadsItsReplies() throws Exception {
        start(f -> f.setRequestTimeout(Duration.milliseconds(300)));
        SocketmapClient good = client();
        Socket flooder = new Socket("127.0.0.1", server.port());
        toClose.add(flooder);
        byte[] batch = new byte[64 * 1024];
        byte[] one = NetstringEncoder.encode("sender testuser2@example.org");
        for (int i = 0; i + one.length <= batch.length; i += one.length) {
            System.arraycopy(one, 0, batch, i, one.length);
        }
        Thread writer = new Thread(() -> {
            try (OutputStream out = flooder.getOutputStream()) {
                while (true) {
                    out.write(batch, 0, batch.length - batch.length % one.length);
                }
            } catch (IOException expected) { // closed by the server
            }
        });
        writer.setDaemon(true);
        writer.start();
        writer.join(20_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(metrics.counter("restrictd.socketmap.connections.timed-out").getCount()).isEqualTo(1);
        assertThat(good.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
    }

    @Test
    void shouldAcceptAndCloseConnectionsOverTheCap() throws Exception {
        start(f -> f.setMaxConnections(2));
        SocketmapClient first = client();
        SocketmapClient second = client();
        assertThat(first.ask("sender x@y")).isEqualTo("NOTFOUND ");
        assertThat(second.ask("sender x@y")).isEqualTo("NOTFOUND ");

        SocketmapClient third = client();
        assertThat(third.closedByServer()).isTrue();
        assertThat(metrics.counter("restrictd.socketmap.connections.rejected").getCount()).isEqualTo(1);
        assertThat(second.ask("sender testuser2@example.org")).isEqualTo(REJECTED);

        first.close();
        eventually(() -> {
            try (SocketmapClient again = new SocketmapClient(server.port())) {
                assertThat(again.ask("sender testuser2@example.org")).isEqualTo(REJECTED);
            }
        });
    }

    @Test
    void shouldServeOnTheConfiguredNumberOfEventLoops() throws Exception {
        start(f -> f.setEventLoops(3));
        for (int i = 0; i < 12; i++) {
            assertThat(client().ask("sender testuser2@example.org")).isEqualTo(REJECTED);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("socketmap-loop-") && t.isAlive()).hasSize(3);
    }

    @Test
    void shouldReportBoundPortAndMetrics() throws Exception {
        start(f -> { });
        assertThat(server.port()).isPositive();
        assertThat(server.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", server.port()));
        SocketmapClient client = client();
        client.ask("sender testuser2@example.org");
        client.ask("sender nobody@example.org");
        client.ask("sender late@example.org");
        assertThat(metrics.timer("restrictd.socketmap.lookup").getCount()).isEqualTo(3);
        assertThat(metrics.meter("restrictd.socketmap.restricted").getCount()).isEqualTo(1);
        assertThat(metrics.meter("restrictd.socketmap.not-restricted").getCount()).isEqualTo(1);
        assertThat(metrics.meter("restrictd.socketmap.unavailable").getCount()).isEqualTo(1);
        assertThat(metrics.getGauges().get("restrictd.socketmap.connections.open").getValue()).isEqualTo(1);
    }

    @Test
    void shouldCloseConnectionsAndEndThreadsOnStop() throws Exception {
        start(f -> { });
        SocketmapClient idle = client();
        SocketmapClient half = client();
        idle.ask("sender x@y");
        half.send("10:sen");
        eventually(() -> assertThat(server.openConnections()).isEqualTo(2));
        server.stop();
        assertThat(idle.closedByServer()).isTrue();
        assertThat(half.closedByServer()).isTrue();
        assertThat(server.openConnections()).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("socketmap-") && t.isAlive());
        assertThatThrownBy(() -> new Socket("127.0.0.1", server.port())).isInstanceOf(IllegalStateException.class);
        server = null;
    }

    @Test
    void shouldNameAddressAndSettingWhenPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            SocketmapFactory factory = new SocketmapFactory();
            factory.setListen("127.0.0.1:" + taken.getLocalPort());
            ProtocolServer second = factory.build(FakeLookup.standard(), metrics);
            assertThatThrownBy(second::start).isInstanceOf(ListenException.class)
                    .hasMessageStartingWith("socketmap.listen: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void shouldServeOnUnixSocketWithConfiguredPermissions(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("socketmap.sock");
        start(f -> {
            f.setListen("");
            f.setUnixSocket(path.toString());
        });
        assertThat(server.addresses()).containsExactly(UnixDomainSocketAddress.of(path));
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-rw----");
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            channel.write(ByteBuffer.wrap(NetstringEncoder.encode("sender testuser2@example.org")));
            ByteBuffer reply = ByteBuffer.allocate(4096);
            String expected = new String(NetstringEncoder.encode(REJECTED), StandardCharsets.UTF_8);
            while (reply.position() < expected.length()) {
                assertThat(channel.read(reply)).isPositive();
            }
            assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        server.stop();
        assertThat(path).doesNotExist();
        server = null;
    }

    @Test
    void shouldReplaceStaleUnixSocketButNotALiveOneOrAFile(@TempDir Path dir) throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        } // closed: the file stays behind, as after a crash
        assertThat(stale).exists();
        start(f -> {
            f.setListen("");
            f.setUnixSocket(stale.toString());
            f.setUnixSocketMode("0600");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stale))).isEqualTo("rw-------");

        SocketmapFactory live = new SocketmapFactory();
        live.setListen("");
        live.setUnixSocket(stale.toString());
        assertThatThrownBy(() -> live.build(FakeLookup.standard(), new MetricRegistry()).start())
                .isInstanceOf(ListenException.class)
                .hasMessageStartingWith("socketmap.unixSocket: cannot listen on unix:" + stale)
                .hasMessageContaining("another process is listening");

        Path file = Files.writeString(dir.resolve("file"), "not a socket");
        SocketmapFactory onFile = new SocketmapFactory();
        onFile.setListen("");
        onFile.setUnixSocket(file.toString());
        assertThatThrownBy(() -> onFile.build(FakeLookup.standard(), new MetricRegistry()).start())
                .isInstanceOf(ListenException.class).hasMessageContaining("not a socket");
        assertThat(file).hasContent("not a socket");
    }
}
