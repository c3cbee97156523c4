package io.restrictd.service.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A separate process that holds many connections to one protocol port, as a crowd of smtpd
 * processes would: {@code ConnectionHolder socketmap|policy PORT COUNT}. It opens COUNT connections,
 * asks one lookup on each (so each is served, not just queued by the kernel), prints
 * {@code held COUNT}, and then keeps them open and idle. On stdin, {@code check} asks one more
 * lookup on every connection and prints {@code ok COUNT}, or {@code closed K of COUNT} if the server
 * had closed K of them; anything else, or EOF, ends it. Any other failure (a wrong answer, a
 * connection closed before it was held) is printed as {@code failed <why>} and ends it with status 1.
 *
 * <p>Its own process has its own open-file limit, which is the point: the node's limit is the one
 * under test. Uses the JDK only, so it starts with the test classes alone on its class path.
 */
public final class ConnectionHolder {
    private static final String SOCKETMAP_REQUEST = "sender idle@example.org";
    private static final byte[] SOCKETMAP_ASK = (SOCKETMAP_REQUEST.length() + ":" + SOCKETMAP_REQUEST + ",")
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SOCKETMAP_ANSWER = "9:NOTFOUND ,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POLICY_ASK = ("request=smtpd_access_policy\nprotocol_state=RCPT\n"
            + "sender=idle@example.org\n\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POLICY_ANSWER = "action=DUNNO\n\n".getBytes(StandardCharsets.US_ASCII);

    private ConnectionHolder() {
    }

    public static void main(String[] args) throws IOException {
        boolean socketmap = args[0].equals("socketmap");
        byte[] ask = socketmap ? SOCKETMAP_ASK : POLICY_ASK;
        byte[] answer = socketmap ? SOCKETMAP_ANSWER : POLICY_ANSWER;
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        List<SocketChannel> held = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                held.add(SocketChannel.open(address));
            }
            int closed = askEach(held, ask, answer);
            if (closed > 0) {
                throw new IOException(closed + " connections closed by the server before all were held");
            }
            System.out.println("held " + held.size());
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line = stdin.readLine(); "check".equals(line); line = stdin.readLine()) {
                closed = askEach(held, ask, answer);
                System.out.println(closed == 0 ? "ok " + held.size() : "closed " + closed + " of " + held.size());
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("failed after " + held.size() + " connections: " + e);
            System.exit(1);
        }
    }

    /** Asks one lookup on each connection; returns how many the server had closed (EOF or reset). */
    private static int askEach(List<SocketChannel> held, byte[] ask, byte[] answer) throws IOException {
        ByteBuffer reply = ByteBuffer.allocate(answer.length);
        int closed = 0;
        for (int i = 0; i < held.size(); i++) {
            reply.clear();
            if (!ask(held.get(i), ask, reply)) {
                closed++;
            } else if (!Arrays.equals(reply.array(), answer)) {
                throw new IOException("connection " + i + " answered '"
                        + new String(reply.array(), StandardCharsets.US_ASCII) + "'");
            }
        }
        return closed;
    }

    /** False if the connection turns out to be closed by the server. */
    private static boolean ask(SocketChannel channel, byte[] ask, ByteBuffer reply) {
        try {
            ByteBuffer out = ByteBuffer.wrap(ask);
            while (out.hasRemaining()) {
                channel.write(out);
            }
            while (reply.hasRemaining()) {
                if (channel.read(reply) < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) { // reset, broken pipe
            return false;
        }
    }
}
