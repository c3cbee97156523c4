package io.restrictd.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void shouldReturnABindablePortBelowTheEphemeralRange() throws IOException {
        int port = FreePort.find();
        assertTrue(port >= FreePort.LOW && port <= FreePort.HIGH, "port " + port);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(socket.isBound());
        }
    }

    @Test
    void shouldNeverHandOutTheSamePortTwice() {
        // A node takes four ports at once; the kernel's port-0 choice once gave two of them the same
        // number. Far more than one node's worth, so that a repeat would be near certain without the guard.
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            int port = FreePort.find();
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
    }

    @Test
    void shouldSkipAPortSomethingListensOn() throws IOException {
        // A range of one port: refused while something listens on it, handed out once it is closed.
        int port;
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = busy.getLocalPort();
            int only = port;
            assertThrows(IllegalStateException.class, () -> FreePort.find(only, only));
        }
        assertEquals(port, FreePort.find(port, port));
    }

    @Test
    void shouldGiveEachForkItsOwnSliceOfTheRange() {
        int[] first = FreePort.slice(1, 2);
        int[] second = FreePort.slice(2, 2);
        assertEquals(FreePort.LOW, first[0]);
        assertEquals(first[1] + 1, second[0], "the slices touch and do not overlap");
        assertEquals(FreePort.HIGH, second[1]);
        assertTrue(first[1] - first[0] > 1000, "a fork still has room for many servers: " + first[1]);
        assertEquals(FreePort.LOW, FreePort.slice(3, 2)[0], "a fork number out of range gets the whole range");
        assertEquals(FreePort.HIGH, FreePort.slice(3, 2)[1]);
        assertEquals(FreePort.HIGH, FreePort.slice(1, 1)[1]);
    }

    @Test
    void shouldFindTheRepositoryRoot() {
        assertTrue(Repository.root().resolve("ops/bin/kafka-local").toFile().isFile());
    }
}
