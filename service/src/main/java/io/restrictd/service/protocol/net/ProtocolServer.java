package io.restrictd.service.protocol.net;

import io.dropwizard.lifecycle.Managed;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event-driven server for a line- or netstring-framed lookup protocol: one acceptor thread per
 * endpoint hands each new connection to one of a few {@link EventLoop}s (one per CPU by default), each
 * a thread with a selector (epoll) that serves any number of connections. An idle connection costs a
 * file descriptor and about a kilobyte of heap, never a thread, so a node holds as many as its
 * open-file limit allows (see docs/connections.md).
 *
 * <p>A client can only ever hurt its own connection: over {@link ServerLimits#maxConnections()} a
 * connection is accepted and closed at once (Postfix turns that into a temporary lookup failure for
 * that mail); a stalled or slow client is closed by its loop's {@link Reaper}; a client that does not
 * read its replies stops being read; nothing a client sends can throw out of a loop.
 *
 * <p>{@link #start()} and {@link #stop()} are not reentrant but may be called from any thread;
 * {@link #port()} and {@link #addresses()} are valid while started.
 */
public final class ProtocolServer implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolServer.class);
    private static final int BACKLOG = 256;
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long ACCEPT_FAILURE_PAUSE_MS = 100;
    /** Replies are some hundred bytes; this is hundreds of them. */
    private static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final String name;
    private final List<Endpoint> endpoints;
    private final ServerLimits limits;
    private final Supplier<Session> sessions;
    private final ProtocolMetrics metrics;

    private final int loopCount;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> loopThreads = new ArrayList<>();
    /** The loops while started, read by the acceptor threads; empty otherwise. */
    private volatile List<EventLoop> serving = List.of();
    private volatile boolean running;

    /** One bound endpoint and its acceptor thread. */
    private static final class Listener {
        final Endpoint endpoint;
        final ServerSocketChannel channel;
        final SocketAddress address;
        Thread acceptor;

        Listener(Endpoint endpoint, ServerSocketChannel channel, SocketAddress address) {
            this.endpoint = endpoint;
            this.channel = channel;
            this.address = address;
        }
    }

    /**
     * @param name      the protocol's name, for threads and logs ({@code socketmap}, {@code policy})
     * @param endpoints where to listen; at least one
     * @param sessions  makes the protocol state of each new connection; called on an event loop's thread
     */
    public ProtocolServer(String name, List<Endpoint> endpoints, ServerLimits limits, Supplier<Session> sessions,
            ProtocolMetrics metrics) {
        this(name, endpoints, limits, sessions, metrics, Runtime.getRuntime().availableProcessors());
    }

    /** As above, with {@code loops} event loops (threads) to spread the connections over. */
    public ProtocolServer(String name, List<Endpoint> endpoints, ServerLimits limits, Supplier<Session> sessions,
            ProtocolMetrics metrics, int loops) {
        if (loops < 1) {
            throw new IllegalArgumentException(name + ": at least one event loop: " + loops);
        }
        this.loopCount = loops;
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException(name + ": no endpoint to listen on");
        }
        this.name = name;
        this.endpoints = List.copyOf(endpoints);
        this.limits = limits;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /**
     * Binds every endpoint, then starts accepting.
     *
     * @throws ListenException naming the address and its configuration key if one cannot be bound
     */
    @Override
    public synchronized void start() throws ListenException {
        if (running) {
            throw new IllegalStateException(name + " server already started");
        }
        try {
            for (Endpoint endpoint : endpoints) {
                listeners.add(bind(endpoint));
            }
            for (int i = 0; i < loopCount; i++) {
                loops.add(new EventLoop(name + "-loop-" + i, sessions, new Reaper(limits, metrics), c -> leave()));
            }
        } catch (IOException e) {
            loops.forEach(EventLoop::discard);
            loops.clear();
            closeListeners();
            listeners.clear();
            throw e instanceof ListenException listen ? listen
                    : new ListenException(endpoints.get(0).configKey(), endpoints.get(0).toString(),
                            "cannot open a selector: " + e.getMessage(), e);
        }
        running = true;
        serving = List.copyOf(loops);
        metrics.registerOpenConnections(open::get);
        for (int i = 0; i < loops.size(); i++) {
            loopThreads.add(daemon(loops.get(i), name + "-loop-" + i));
        }
        FileLimits.warnIfBelow(name, limits.maxConnections());
        for (Listener listener : listeners) {
            listener.acceptor = daemon(() -> acceptLoop(listener), name + "-accept-" + listener.endpoint);
            LOG.info("{} listening on {}", name, listener.address);
        }
    }

    /** Closes the listeners and every connection, and waits (a few seconds at most) for the threads. */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        serving = List.of();
        long deadline = System.nanoTime() + STOP_GRACE_NANOS;
        closeListeners();
        for (Listener listener : listeners) {
            join(listener.acceptor, deadline);
        }
        loops.forEach(EventLoop::stop);
        for (Thread thread : loopThreads) {
            join(thread, deadline);
        }
        loops.clear();
        loopThreads.clear();
        for (Listener listener : listeners) {
            if (listener.endpoint instanceof Endpoint.Unix unix) {
                deleteQuietly(unix.path());
            }
        }
        listeners.clear();
        metrics.removeOpenConnections();
        LOG.info("{} server stopped", name);
    }

    /**
     * The TCP port actually bound (the ephemeral one if the configuration said port 0).
     *
     * @throws IllegalStateException if not started or not listening on TCP
     */
    public synchronized int port() {
        for (Listener listener : listeners) {
            if (listener.address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        throw new IllegalStateException(name + " server is not listening on TCP");
    }

    /** Every address bound, in endpoint order: {@link InetSocketAddress} or {@link UnixDomainSocketAddress}. */
    public synchronized List<SocketAddress> addresses() {
        return listeners.stream().map(l -> l.address).toList();
    }

    /** Connections currently open. */
    public int openConnections() {
        return open.get();
    }

    private Listener bind(Endpoint endpoint) throws ListenException {
        ServerSocketChannel channel = null;
        try {
            SocketAddress address;
            if (endpoint instanceof Endpoint.Tcp tcp) {
                InetSocketAddress inet = tcp.socketAddress();
                if (inet.isUnresolved()) {
                    throw new ListenException(tcp.configKey(), tcp.toString(), "cannot resolve host", null);
                }
                channel = ServerSocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                address = inet;
            } else {
                Endpoint.Unix unix = (Endpoint.Unix) endpoint;
                UnixSockets.removeStale(unix);
                channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                address = UnixDomainSocketAddress.of(unix.path());
            }
            channel.bind(address, BACKLOG);
            if (endpoint instanceof Endpoint.Unix unix) {
                UnixSockets.setPermissions(unix);
            }
            return new Listener(endpoint, channel, channel.getLocalAddress());
        } catch (ListenException e) {
            abandon(endpoint, channel);
            throw e;
        } catch (IOException | RuntimeException e) {
            abandon(endpoint, channel);
            throw new ListenException(endpoint.configKey(), endpoint.toString(), String.valueOf(e.getMessage()), e);
        }
    }

    /** Closes a half-set-up listener; removes its socket file only if this server created it. */
    private static void abandon(Endpoint endpoint, ServerSocketChannel channel) {
        if (channel == null) {
            return;
        }
        boolean bound;
        try {
            bound = channel.getLocalAddress() != null;
        } catch (IOException e) {
            bound = false;
        }
        closeQuietly(channel);
        if (bound && endpoint instanceof Endpoint.Unix unix) {
            deleteQuietly(unix.path());
        }
    }

    private void acceptLoop(Listener listener) {
        while (running) {
            SocketChannel channel;
            try {
                channel = listener.channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) { // e.g. out of file descriptors: pause rather than spin
                if (!running) {
                    return;
                }
                LOG.warn("{}: accept on {} failed: {}", name, listener.address, e.toString());
                sleepQuietly(ACCEPT_FAILURE_PAUSE_MS);
                continue;
            }
            admit(channel, listener.endpoint instanceof Endpoint.Tcp);
        }
    }

    private void admit(SocketChannel channel, boolean tcp) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            metrics.rejected.inc();
            LOG.debug("{}: over {} connections, closing a new one", name, limits.maxConnections());
            closeQuietly(channel);
            return;
        }
        try {
            if (tcp) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            // A fixed send buffer bounds what the kernel holds for a client that does not read its
            // replies (autotuning would let it grow to megabytes per connection): past it the
            // connection stops being read and its request deadline closes it.
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
        } catch (IOException e) { // the client is already gone
            open.decrementAndGet();
            closeQuietly(channel);
            return;
        }
        long id = connectionIds.incrementAndGet();
        List<EventLoop> now = serving;
        // Round robin: connections of Postfix live long and cost alike, so counts balance the loops.
        if (now.isEmpty() || !now.get((int) (id % now.size())).adopt(channel, name + "-conn-" + id)) {
            open.decrementAndGet(); // stop() raced with this accept
            closeQuietly(channel);
        }
    }

    private void leave() {
        open.decrementAndGet();
    }

    private void closeListeners() {
        for (Listener listener : listeners) {
            closeQuietly(listener.channel);
        }
    }

    private static Thread daemon(Runnable task, String threadName) {
        Thread thread = new Thread(task, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void join(Thread thread, long deadlineNanos) throws InterruptedException {
        if (thread == null) {
            return;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.timedJoin(thread, left);
        }
        if (thread.isAlive()) {
            LOG.warn("{}: thread {} did not stop in time", name, thread.getName());
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove socket file {}: {}", path, e.toString());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
