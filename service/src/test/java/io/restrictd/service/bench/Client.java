package io.restrictd.service.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One connection of the load, from {@code start} to {@code measureTo}. Closed loop (interval 0):
 * sends the next lookup as soon as the reply to the previous is in, and records each request's
 * latency from sending to reply. Paced (interval &gt; 0): request k is due at
 * {@code start + phase + k * interval}; its latency counts from when it was due, not from when it
 * went out, so a slow reply that delays the next requests is charged to them too (no coordinated
 * omission). Only requests due or sent at or after {@code measureFrom} are recorded.
 * Single-threaded; read {@link #result()} after it ran.
 */
final class Client implements Runnable {
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(120);

    final LoadGen.Target target;
    private final byte[][] requests;
    private final boolean[] restricted;
    private final int offset;
    private final long start;
    private final long measureFrom;
    private final long measureTo;
    private final long intervalNanos;
    private final long phaseNanos;
    private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
    private long wrong;
    private long errors;
    private String firstWrong;

    /**
     * @param requests   every key's request, encoded for the target's protocol (shared, not modified)
     * @param restricted whether each key is restricted (shared, not modified)
     * @param intervalNanos 0 for a closed loop, else the time between two requests' due times
     * @param phaseNanos    when the first paced request is due, after {@code start}
     */
    Client(LoadGen.Target target, byte[][] requests, boolean[] restricted, int offset, long start, long measureFrom,
            long measureTo, long intervalNanos, long phaseNanos) {
        this.target = target;
        this.requests = requests;
        this.restricted = restricted;
        this.offset = offset;
        this.start = start;
        this.measureFrom = measureFrom;
        this.measureTo = measureTo;
        this.intervalNanos = intervalNanos;
        this.phaseNanos = phaseNanos;
    }

    @Override
    public void run() {
        byte[] reply = new byte[8192];
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(target.host(), target.port()), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            while (System.nanoTime() < start) {
                LockSupport.parkNanos(100_000);
            }
            long due = start + phaseNanos;
            for (int i = offset; ; i = (i + 1) % requests.length, due += intervalNanos) {
                long sent = System.nanoTime();
                if (intervalNanos > 0) {
                    while (sent < due) {
                        LockSupport.parkNanos(due - sent);
                        sent = System.nanoTime();
                    }
                    sent = due;
                }
                if (sent >= measureTo) {
                    return;
                }
                out.write(requests[i]);
                int len = target.protocol().readReply(in, reply);
                long took = System.nanoTime() - sent;
                if (sent >= measureFrom) {
                    histogram.recordValue(Math.min(took, HIGHEST_NANOS));
                    if (target.verify() && !target.protocol().correct(reply, len, restricted[i])) {
                        if (wrong++ == 0) {
                            firstWrong = Protocol.text(reply, len);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            errors++;
            System.err.println("loadgen: " + target.protocol().label() + " " + target.host() + ":" + target.port()
                    + ": " + e);
        } finally {
            if (firstWrong != null) {
                System.err.println("loadgen: " + wrong + " wrong replies on a " + target.protocol().label()
                        + " connection, first: " + firstWrong.strip());
            }
        }
    }

    LoadGen.Result result() {
        return new LoadGen.Result(histogram, wrong, errors, 1, target.verify());
    }
}
