package io.restrictd.service.protocol.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: a non-blocking channel, its protocol {@link Session} and the deadlines the
 * {@link Reaper} checks. Owned by one {@link EventLoop}: every method runs on that loop's thread, so
 * nothing here is synchronised.
 *
 * <p>An idle connection costs its channel, its selection key and its session's small buffers; no
 * thread and no read buffer (the loop lends one). A reply the kernel cannot take at once is kept
 * here and the connection stops reading until it has been written: a client that sends but never
 * reads stalls only itself, and the request deadline closes it.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /** {@link #requestSince} when no request is in progress. */
    static final long NONE = Long.MIN_VALUE;

    /** After a fatal error, how much more input is read and dropped so the reply is not lost to a reset. */
    private static final int DRAIN_BYTES = 64 * 1024;

    private final SocketChannel channel;
    private Session session;
    private final String name;
    private final Consumer<Connection> onClose;
    private SelectionKey key;
    /** Reply bytes the kernel did not take yet, or null. */
    private ByteBuffer pending;
    /** The session asked to close: output is shut once {@link #pending} is written, input is drained. */
    private boolean closing;
    private int drained;
    private boolean closed;

    /** System.nanoTime() of the first byte of the request in progress (read, answered or being written), or NONE. */
    long requestSince = NONE;
    /** System.nanoTime() of the last read or write. */
    long lastActivity = System.nanoTime();

    /** @param onClose told once when the connection closes, on the loop's thread */
    Connection(SocketChannel channel, String name, Consumer<Connection> onClose) {
        this.channel = channel;
        this.name = name;
        this.onClose = onClose;
    }

    String name() {
        return name;
    }

    /** Makes the channel non-blocking and registers it for reading, served by {@code protocol}. */
    void register(Selector selector, Session protocol) throws IOException {
        this.session = protocol;
        channel.configureBlocking(false);
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** The channel is readable (or writable): does one step of I/O. Never throws; closes on any failure. */
    void onReady(ByteBuffer scratch, ReplyBuffer reply) {
        try {
            if (key.isWritable()) {
                flush();
            } else if (key.isReadable()) {
                read(scratch, reply);
            }
        } catch (IOException e) {
            LOG.debug("{}: {}", name, e.toString());
            close();
        } catch (RuntimeException e) {
            LOG.error("{}: protocol handler failed; closing the connection", name, e);
            close();
        }
    }

    private void read(ByteBuffer scratch, ReplyBuffer reply) throws IOException {
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) {
            close();
            return;
        }
        if (n == 0) {
            return;
        }
        long now = System.nanoTime();
        lastActivity = now;
        if (closing) {
            drained += n;
            if (drained >= DRAIN_BYTES) {
                close();
            }
            return;
        }
        if (requestSince == NONE) {
            requestSince = now;
        }
        scratch.flip();
        reply.reset();
        boolean keepOpen = session.receive(scratch, reply);
        closing = !keepOpen;
        if (reply.size() > 0) {
            write(reply.asByteBuffer());
        } else if (!session.midRequest()) {
            requestSince = NONE;
        }
        if (pending == null && closing) {
            shutdownOutput();
        }
    }

    /** Writes what the kernel takes now and keeps the rest, which {@link #flush} sends when it can. */
    private void write(ByteBuffer out) throws IOException {
        channel.write(out);
        if (out.hasRemaining()) {
            pending = ByteBuffer.allocate(out.remaining()).put(out).flip();
            key.interestOps(SelectionKey.OP_WRITE); // no more reading until the client takes its replies
            return;
        }
        written();
    }

    private void flush() throws IOException {
        channel.write(pending);
        if (pending.hasRemaining()) {
            return;
        }
        pending = null;
        key.interestOps(SelectionKey.OP_READ);
        written();
        if (closing) {
            shutdownOutput();
        }
    }

    /** Every reply is out: a new deadline only for a request begun in the same read. */
    private void written() {
        long now = System.nanoTime();
        lastActivity = now;
        requestSince = session.midRequest() ? now : NONE;
    }

    /**
     * Sends FIN after the last reply, then reads and drops a bounded amount of input: closing with
     * unread input makes the kernel send a reset, which can destroy the reply before the client
     * reads it. The request deadline runs meanwhile, so this cannot stall.
     */
    private void shutdownOutput() throws IOException {
        requestSince = System.nanoTime();
        channel.shutdownOutput();
    }

    /** Closes the channel and tells the loop; safe to call any number of times. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close failed: {}", name, e.toString());
        }
        onClose.accept(this);
    }

    boolean isClosed() {
        return closed;
    }
}
