package io.restrictd.service.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Asks a node's socketmap about one address over one connection, about once a millisecond, until the
 * reply is the expected one: the clock for a propagation step. (postmap, a process per lookup, would
 * add its own start to every poll; the tests confirm each answer with postmap afterwards.)
 */
final class SocketmapProbe implements AutoCloseable {
    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;

    SocketmapProbe(int port) throws IOException {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** The node's reply payload for {@code sender KEY}, e.g. {@code OK REJECT ...} or {@code NOTFOUND }. */
    String ask(String key) throws IOException {
        byte[] payload = ("sender " + key).getBytes(StandardCharsets.UTF_8);
        out.write((payload.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(payload);
        out.write(',');
        out.flush();
        int len = 0;
        for (int c = read(); c != ':'; c = read()) {
            if (c < '0' || c > '9') {
                throw new IOException("not a netstring: length byte " + c);
            }
            len = len * 10 + c - '0';
        }
        byte[] reply = in.readNBytes(len);
        if (reply.length != len || read() != ',') {
            throw new IOException("truncated netstring");
        }
        return new String(reply, StandardCharsets.UTF_8);
    }

    /**
     * Polls until the reply equals {@code expected}; returns when it first did (System.nanoTime()).
     *
     * @throws AssertionError with the last reply when {@code limit} passes first
     */
    long awaitReply(String key, String expected, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        String last;
        do {
            last = ask(key);
            long now = System.nanoTime();
            if (last.equals(expected)) {
                return now;
            }
            LockSupport.parkNanos(1_000_000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("socketmap still answers '" + last + "' for " + key + " after " + limit
                + ", expected '" + expected + "'");
    }

    private int read() throws IOException {
        int c = in.read();
        if (c < 0) {
            throw new EOFException("the node closed the socketmap connection");
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
