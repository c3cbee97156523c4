package io.restrictd.service.protocol.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.util.Duration;
import io.restrictd.service.protocol.FakeLookup;
import io.restrictd.service.protocol.net.ProtocolServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real policy server on an ephemeral loopback port with a fake lookup. No assertion on timing. */
@Timeout(60)
class PolicyServerTest {
    private static final String REJECTED = "action=" + FakeLookup.REJECT_ACTION + "\n\n";
    private static final String BLOCKED =
            "request=smtpd_access_policy\nprotocol_state=RCPT\nsender=testuser2@example.org\n\n";

    private final MetricRegistry metrics = new MetricRegistry();
    private final List<Socket> sockets = new ArrayList<>();
    private ProtocolServer server;

    private void start(Consumer<PolicyFactory> configure) throws Exception {
        PolicyFactory factory = new PolicyFactory();
        factory.setListen("127.0.0.1:0");
        configure.accept(factory);
        server = factory.build(FakeLookup.standard(), metrics);
        server.start();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 20_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads one reply: up to and including the empty line. */
    private static String reply(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed by the server before a reply: " + out);
            }
            out.write(b);
            if (b == '\n' && previous == '\n') {
                return out.toString(StandardCharsets.UTF_8);
            }
            previous = b;
        }
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true;
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shouldAnswerManyRequestsOnOneConnection() throws Exception {
        start(f -> { });
        Socket postfix = connect();
        for (int i = 0; i < 200; i++) {
            send(postfix, BLOCKED);
            assertThat(reply(postfix)).isEqualTo(REJECTED);
            send(postfix, "request=smtpd_access_policy\r\nsender=x" + i + "@example.org\r\nsasl_username=spammer\r\n\r\n");
            assertThat(reply(postfix)).isEqualTo("action=554 5.7.1 Login suspended\n\n");
            send(postfix, "request=smtpd_access_policy\nsender=nobody@example.org\n\n");
            assertThat(reply(postfix)).isEqualTo("action=DUNNO\n\n");
        }
        assertThat(metrics.timer("restrictd.policy.lookup").getCount()).isEqualTo(800);
    }

    @Test
    void shouldKeepConnectionAfterMalformedRequest() throws Exception {
        start(f -> { });
        Socket postfix = connect();
        send(postfix, "request=smtpd_access_policy\nno equals\n\n" + BLOCKED);
        assertThat(reply(postfix))
                .isEqualTo("action=DEFER_IF_PERMIT restrictd: malformed policy request: line without '='\n\n");
        assertThat(reply(postfix)).isEqualTo(REJECTED);
        assertThat(metrics.meter("restrictd.policy.bad-requests").getCount()).isEqualTo(1);
    }

    @Test
    void shouldAnswerAndCloseOversizeRequestWhileOthersCarryOn() throws Exception {
        start(f -> {
            f.setMaxRequestBytes(1024);
            f.setMaxLineBytes(512);
        });
        Socket good = connect();
        Socket bad = connect();
        StringBuilder big = new StringBuilder("request=smtpd_access_policy\n");
        for (int i = 0; i < 100; i++) {
            big.append("x").append(i).append("=0123456789\n");
        }
        send(bad, big.toString());
        assertThat(reply(bad))
                .isEqualTo("action=DEFER_IF_PERMIT restrictd: malformed policy request: request longer than 1024 bytes\n\n");
        assertThat(closedByServer(bad)).isTrue();

        Socket endless = connect();
        send(endless, "sender=" + "x".repeat(10_000));
        assertThat(reply(endless))
                .isEqualTo("action=DEFER_IF_PERMIT restrictd: malformed policy request: line longer than 512 bytes\n\n");
        assertThat(closedByServer(endless)).isTrue();

        send(good, BLOCKED);
        assertThat(reply(good)).isEqualTo(REJECTED);
    }

    @Test
    void shouldCloseStalledHalfRequestWhileOthersCarryOn() throws Exception {
        start(f -> f.setRequestTimeout(Duration.milliseconds(300)));
        Socket good = connect();
        Socket stalled = connect();
        send(stalled, "request=smtpd_access_policy\nsender=slow@exa");
        send(good, BLOCKED);
        assertThat(reply(good)).isEqualTo(REJECTED);
        assertThat(closedByServer(stalled)).isTrue();
        assertThat(metrics.counter("restrictd.policy.connections.timed-out").getCount()).isEqualTo(1);
        send(good, BLOCKED);
        assertThat(reply(good)).isEqualTo(REJECTED);
    }
}
