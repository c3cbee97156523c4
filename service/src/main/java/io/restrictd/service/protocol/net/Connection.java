package io.restrictd.service.protocol.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, served by its own thread with blocking reads and writes. Blocking channels
 * ignore SO_TIMEOUT, so deadlines are kept by the server's reaper, which reads {@link #requestSince}
 * and {@link #lastActivity} and closes the channel; the blocked read or write then fails and the
 * thread ends.
 */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** {@link #requestSince} when no request is in progress. */
    static final long NONE = Long.MIN_VALUE;

    private static final int READ_BUFFER_BYTES = 4096;
    /** After a fatal error, how much more input is read and dropped so the reply is not lost to a reset. */
    private static final int DRAIN_BYTES = 64 * 1024;

    private final SocketChannel channel;
    private final Session session;
    private final String name;
    private final Consumer<Connection> onExit;

    /** System.nanoTime() of the first byte of the request in progress (read, answered or being written), or NONE. */
    volatile long requestSince = NONE;
    /** System.nanoTime() of the last read or write. */
    volatile long lastActivity = System.nanoTime();
    volatile Thread thread;

    Connection(SocketChannel channel, Session session, String name, Consumer<Connection> onExit) {
        this.channel = channel;
        this.session = session;
        this.name = name;
        this.onExit = onExit;
    }

    String name() {
        return name;
    }

    @Override
    public void run() {
        try {
            serve();
        } catch (ClosedChannelException e) {
            LOG.debug("{}: closed by the server (timeout or stop)", name);
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.toString());
        } catch (RuntimeException e) {
            LOG.error("{}: protocol handler failed; closing the connection", name, e);
        } finally {
            close();
            onExit.accept(this);
        }
    }

    private void serve() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        while (true) {
            in.clear();
            if (channel.read(in) < 0) {
                return;
            }
            long now = System.nanoTime();
            lastActivity = now;
            if (requestSince == NONE) {
                requestSince = now;
            }
            in.flip();
            out.reset();
            boolean keepOpen = session.receive(in, out);
            if (out.size() > 0) {
                write(ByteBuffer.wrap(out.toByteArray()));
                // a reply went out: a new deadline only for a request begun in the same read
                requestSince = session.midRequest() ? System.nanoTime() : NONE;
            } else if (!session.midRequest()) {
                requestSince = NONE;
            }
            lastActivity = System.nanoTime();
            if (!keepOpen) {
                closeGracefully(in);
                return;
            }
        }
    }

    private void write(ByteBuffer reply) throws IOException {
        while (reply.hasRemaining()) {
            channel.write(reply);
        }
    }

    /**
     * Sends FIN after the last reply, then reads and drops a bounded amount of input: closing with
     * unread input makes the kernel send a reset, which can destroy the reply before the client reads it.
     * The request deadline still runs, so this cannot stall.
     */
    private void closeGracefully(ByteBuffer in) throws IOException {
        requestSince = System.nanoTime();
        channel.shutdownOutput();
        int dropped = 0;
        while (dropped < DRAIN_BYTES) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                return;
            }
            dropped += n;
        }
    }

    /** Closes the channel; safe from any thread, any number of times. */
    void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close failed: {}", name, e.toString());
        }
    }
}
