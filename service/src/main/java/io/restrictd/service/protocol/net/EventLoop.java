package io.restrictd.service.protocol.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread and one {@link Selector} (epoll on Linux) serving any number of connections: it reads
 * what a client sent, lets the session answer, writes the reply, and sweeps deadlines every tick.
 * Lookups run on this thread, so they must not block (the store answers from memory); a slow one
 * delays only the connections of this loop.
 *
 * <p>{@link #adopt} and {@link #stop} may be called from any thread; everything else runs on the
 * loop's own thread.
 */
final class EventLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    /** One read's worth; shared by every connection of the loop. Requests are far smaller. */
    private static final int READ_BUFFER_BYTES = 16 * 1024;

    private final String name;
    private final Supplier<Session> sessions;
    private final Reaper reaper;
    private final Consumer<Connection> onClose;
    private final Selector selector;
    private final Queue<Accepted> incoming = new ConcurrentLinkedQueue<>();
    private final Set<Connection> connections = new HashSet<>();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final ReplyBuffer reply = new ReplyBuffer(512);
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private volatile boolean running = true;

    /** A channel accepted by another thread, waiting to be registered by this loop. */
    private record Accepted(SocketChannel channel, String name) {
    }

    /**
     * @param onClose told (on this loop's thread) of every connection that closes, once
     * @throws IOException if no selector can be opened (out of file descriptors)
     */
    EventLoop(String name, Supplier<Session> sessions, Reaper reaper, Consumer<Connection> onClose) throws IOException {
        this.name = name;
        this.sessions = sessions;
        this.reaper = reaper;
        this.onClose = onClose;
        this.selector = Selector.open();
    }

    /**
     * Hands a newly accepted channel to this loop, which makes it non-blocking and serves it.
     *
     * @return false if the loop is stopping: the caller still owns the channel
     */
    boolean adopt(SocketChannel channel, String connectionName) {
        if (!running) {
            return false;
        }
        incoming.add(new Accepted(channel, connectionName));
        selector.wakeup();
        return true;
    }

    /** Asks the loop to close its connections and end; {@link Thread#join} its thread to wait. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    /** Releases the selector of a loop that was never run. */
    void discard() {
        running = false;
        closeSelector();
    }

    @Override
    public void run() {
        long tickNanos = reaper.tickMillis() * 1_000_000L;
        long nextSweep = System.nanoTime() + tickNanos;
        try {
            while (running) {
                long waitMillis = Math.max(1, (nextSweep - System.nanoTime()) / 1_000_000L);
                selector.select(dispatch, waitMillis);
                register();
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    reaper.sweep(connections, now);
                    nextSweep = now + tickNanos;
                }
            }
        } catch (IOException | RuntimeException | Error e) { // the selector itself failed, or the JVM is failing
            LOG.error("{}: event loop failed; closing its connections", name, e);
        } finally {
            running = false; // from now on the acceptor closes what it would hand to this loop
            shutdown();
        }
    }

    private void dispatch(SelectionKey key) {
        ((Connection) key.attachment()).onReady(scratch, reply);
    }

    private void register() {
        for (Accepted accepted = incoming.poll(); accepted != null; accepted = incoming.poll()) {
            Connection connection = new Connection(accepted.channel(), accepted.name(), this::closed);
            try {
                connection.register(selector, sessions.get());
                connections.add(connection);
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: cannot serve a new connection: {}", name, e.toString());
                connection.close();
            }
        }
    }

    private void closed(Connection connection) {
        connections.remove(connection);
        onClose.accept(connection);
    }

    private void shutdown() {
        new ArrayList<>(connections).forEach(Connection::close);
        for (Accepted accepted = incoming.poll(); accepted != null; accepted = incoming.poll()) {
            new Connection(accepted.channel(), accepted.name(), this::closed).close();
        }
        closeSelector();
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("{}: closing the selector failed: {}", name, e.toString());
        }
    }
}
