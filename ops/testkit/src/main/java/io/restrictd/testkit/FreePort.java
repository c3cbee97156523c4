package io.restrictd.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Free loopback TCP ports. A port is free when asked; another process may take it before it is
 * used, so servers that can pick their own port (the ops scripts with port 0) should.
 */
public final class FreePort {

    private FreePort() {
    }

    /** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
