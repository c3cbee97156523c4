package io.restrictd.service.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A raw client connection to the node's socketmap or policy port, speaking the bytes Postfix would
 * (or worse). Reads time out after 10 s unless told otherwise. Not thread-safe.
 */
final class Wire implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Wire(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code payload} as one netstring. */
    void sendNetstring(byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 8);
        b.writeBytes((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(payload);
        b.write(',');
        send(b.toByteArray());
    }

    /** One socketmap request ({@code map key}) and its reply payload. */
    String lookup(String map, String key) throws IOException {
        sendNetstring((map + " " + key).getBytes(StandardCharsets.UTF_8));
        return readNetstring();
    }

    /** Reads one netstring reply and returns its payload; fails on EOF or bad framing. */
    String readNetstring() throws IOException {
        long length = 0;
        int c;
        while ((c = in.read()) != ':') {
            if (c < 0) {
                throw new IOException("connection closed before a netstring");
            }
            if (c < '0' || c > '9') {
                throw new IOException("bad netstring length byte " + c);
            }
            length = length * 10 + (c - '0');
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length || in.read() != ',') {
            throw new IOException("truncated netstring");
        }
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Sends one policy request ({@code request=smtpd_access_policy} plus the attributes) and reads the reply. */
    String policy(Map<String, String> attributes) throws IOException {
        StringBuilder b = new StringBuilder("request=smtpd_access_policy\n");
        attributes.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        b.append('\n');
        send(b.toString());
        return readPolicyReply();
    }

    /** Reads one policy reply, up to and including its empty line; returns it without the final LFs. */
    String readPolicyReply() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && prev == '\n') {
                return b.toString(StandardCharsets.UTF_8).stripTrailing();
            }
            b.write(c);
            prev = c;
        }
        throw new IOException("connection closed in a policy reply: '" + b.toString(StandardCharsets.UTF_8) + "'");
    }

    /**
     * True if the server closes the connection (EOF or reset) within the read timeout, after any
     * bytes it still sends; false if the connection is still open when the timeout expires.
     */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain what is left
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
