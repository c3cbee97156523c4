package io.restrictd.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback TCP ports for test servers.
 *
 * <p>A port is free when asked; another process may take it before it is used. Two things make
 * that unlikely enough for a test suite:
 * <ul>
 *   <li>Ports come from {@value #LOW}–{@value #HIGH}: below Linux's ephemeral range (32768+), so
 *       the outgoing connections of brokers and clients never land on them, and apart from the
 *       range the ops scripts pick in (20000–31999), so a Java pick and a script pick never meet.
 *       The kernel's own choice ({@code new ServerSocket(0)}) is from the ephemeral range and was
 *       seen here to hand out the same port to two calls in a row.</li>
 *   <li>A port is handed out at most once per JVM, so the ports of one server are distinct.</li>
 *   <li>Test JVMs run side by side ({@code it.forks} in the build) each get their own slice of that
 *       range, from the system properties {@code restrictd.testkit.fork} (1-based) and
 *       {@code restrictd.testkit.forks} the build sets; without them a JVM has the whole range.</li>
 * </ul>
 */
public final class FreePort {

    static final int LOW = 12000;
    static final int HIGH = 19999;
    private static final int ATTEMPTS = 500;
    private static final Set<Integer> ISSUED = new HashSet<>();

    private FreePort() {
    }

    /** A TCP port on 127.0.0.1 that nothing listened on a moment ago and that this JVM never handed out. */
    public static int find() {
        int[] range = slice(Integer.getInteger("restrictd.testkit.fork", 1), Integer.getInteger("restrictd.testkit.forks", 1));
        return find(range[0], range[1]);
    }

    /** The ports of fork {@code fork} of {@code forks}: {@code {low, high}}, the whole range when the numbers make no sense. */
    static int[] slice(int fork, int forks) {
        if (forks < 1 || fork < 1 || fork > forks) {
            return new int[] {LOW, HIGH};
        }
        int size = (HIGH - LOW + 1) / forks;
        int low = LOW + (fork - 1) * size;
        return new int[] {low, fork == forks ? HIGH : low + size - 1};
    }

    static synchronized int find(int low, int high) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = random.nextInt(low, high + 1);
            if (!ISSUED.contains(port) && bindable(port)) {
                ISSUED.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port in " + low + "-" + high + " after " + ATTEMPTS
                + " attempts (" + ISSUED.size() + " already handed out)");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
