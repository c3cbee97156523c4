package io.restrictd.service.protocol.socketmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A blocking test client; reads time out after 20 s so a broken server fails a test instead of hanging it. */
final class SocketmapClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final NetstringDecoder decoder = new NetstringDecoder(SocketmapLimits.MAX_REPLY_BYTES);

    SocketmapClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    String ask(String payload) throws IOException, NetstringException {
        send(NetstringEncoder.encode(payload));
        return reply();
    }

    void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The next reply payload; fails if the server closes first. */
    String reply() throws IOException, NetstringException {
        byte[] buffer = new byte[512];
        for (byte[] reply = decoder.next(); ; reply = decoder.next()) {
            if (reply != null) {
                return new String(reply, StandardCharsets.UTF_8);
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("closed by the server before a reply");
            }
            decoder.feed(buffer, 0, n);
        }
    }

    /** True once the server has closed the connection (EOF or reset); blocks until then (20 s at most). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException e) { // reset
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
